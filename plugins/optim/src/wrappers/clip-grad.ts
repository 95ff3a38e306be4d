import * as tf from '@tensorflow/tfjs';
import { TrainkitError } from '@trainkit/core';
import type { GradientMap } from '../optimizers/optimizer.js';

/** `clip_grad` after validation: `torch.nn.utils.clip_grad_norm_` or `clip_grad_value_` arguments. */
export type ClipGradSettings = { type: 'norm'; maxNorm: number; normType: number; errorIfNonfinite: boolean } | { type: 'value'; clipValue: number };

/**
 * PyTorch's clip_grad_norm_: the norm of the per-tensor norms (max of absolute values for inf),
 * then every gradient scaled by `min(1, max_norm / (total + 1e-6))`. Returns the clipped map
 * and the total norm (a scalar tensor, read only when `error_if_nonfinite` asks for it).
 * Runs inside the caller's tidy.
 */
export function clipGradNorm(grads: GradientMap, s: Extract<ClipGradSettings, { type: 'norm' }>): { grads: GradientMap; totalNorm: tf.Scalar } {
  const norms = [...grads.values()].map((g) => vectorNorm(g, s.normType));
  const total = norms.length === 1 ? norms[0] : vectorNorm(tf.stack(norms), s.normType);
  if (s.errorIfNonfinite && !Number.isFinite(total.dataSync()[0])) {
    throw new TrainkitError(
      `the total norm of order ${s.normType} of the gradients is non-finite, so it cannot be clipped; set clip_grad.error_if_nonfinite: false to clip anyway`,
    );
  }
  const coef = tf.minimum(tf.div(s.maxNorm, tf.add(total, 1e-6)), 1);
  const out: GradientMap = new Map();
  for (const [v, g] of grads) out.set(v, tf.mul(g, coef));
  return { grads: out, totalNorm: total };
}

/** The p-norm of all elements (tf.norm only knows p = 1, 2 and inf). */
export function vectorNorm(x: tf.Tensor, p: number): tf.Scalar {
  if (p === Number.POSITIVE_INFINITY) return tf.max(tf.abs(x)) as tf.Scalar;
  if (p === 2) return tf.sqrt(tf.sum(tf.square(x))) as tf.Scalar;
  if (p === 1) return tf.sum(tf.abs(x)) as tf.Scalar;
  return tf.pow(tf.sum(tf.pow(tf.abs(x), p)), 1 / p) as tf.Scalar;
}

/** PyTorch's clip_grad_value_: every gradient element clamped to `[-clip_value, clip_value]`. */
export function clipGradValue(grads: GradientMap, clipValue: number): GradientMap {
  const out: GradientMap = new Map();
  for (const [v, g] of grads) out.set(v, tf.clipByValue(g, -clipValue, clipValue));
  return out;
}
