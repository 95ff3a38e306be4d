import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS, hasFusedKernel, runFusedKernel } from '@trainkit/core/backend';

/**
 * Mean softmax cross-entropy of `logits` [N, K] against `onehot` [N, K], with `labelSmoothing` as
 * `tf.losses.softmaxCrossEntropy` applies it. Where the backend has the fused kernels, one kernel
 * computes the loss and one its gradient (`(softmax - labels) / N`); elsewhere this is
 * `tf.losses.softmaxCrossEntropy` itself. The labels get no gradient (they are data).
 */
export function softmaxCrossEntropy(onehot: tf.Tensor2D, logits: tf.Tensor2D, labelSmoothing = 0): tf.Scalar {
  const fused =
    logits.dtype === 'float32' &&
    logits.rank === 2 &&
    hasFusedKernel(FUSED_KERNELS.softmaxCrossEntropy) &&
    hasFusedKernel(FUSED_KERNELS.softmaxCrossEntropyGrad);
  if (!fused) return tf.losses.softmaxCrossEntropy(onehot, logits, undefined, labelSmoothing) as tf.Scalar;
  return tf.tidy(() => {
    let labels: tf.Tensor = onehot.dtype === 'float32' ? onehot : tf.cast(onehot, 'float32');
    if (labelSmoothing > 0) {
      // tfjs's rule: labels * (1 - s) + s / K
      const k = logits.shape[1];
      labels = tf.add(tf.mul(labels, 1 - labelSmoothing), labelSmoothing / k);
    }
    const target = labels;
    const loss = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
      save([x, target]);
      const value = runFusedKernel(FUSED_KERNELS.softmaxCrossEntropy, { logits: x, labels: target }, {})[0] as tf.Scalar;
      const gradFunc = (dy: tf.Tensor, [x0, labels0]: tf.Tensor[]) =>
        runFusedKernel(FUSED_KERNELS.softmaxCrossEntropyGrad, { logits: x0, labels: labels0, dy }, {})[0];
      return { value, gradFunc };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return loss(logits) as tf.Scalar;
  });
}
