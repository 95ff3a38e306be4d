import * as tf from '@tensorflow/tfjs';

/**
 * Fused training kernels: the contract between the code that calls them (optimizers, losses) and
 * the backend plugins that implement them. A caller runs one through `tf.engine().runKernel` when
 * `hasFusedKernel(name)` says the current backend has it, and its composite TF.js ops otherwise,
 * so the results are the same either way. No caller imports a backend plugin.
 *
 * Hyper-parameters are attributes; optional state tensors are inputs present or absent; outputs
 * are new tensors, in the order listed, that the caller `assign`s to its variables.
 */
export const FUSED_KERNELS = {
  /**
   * PyTorch's SGD for one parameter. Inputs `param`, `grad` and, from the second step with
   * momentum, `momentumBuffer`. Outputs `[param]`, or `[param, momentumBuffer]` with momentum
   * (without a `momentumBuffer` input, the new buffer is the decayed gradient: PyTorch's first step).
   */
  sgd: 'TrainkitSGDUpdate',
  /**
   * PyTorch's Adam / AdamW for one parameter. Inputs `param`, `grad`, `expAvg`, `expAvgSq` and,
   * with `amsgrad`, `maxExpAvgSq`. Outputs `[param, expAvg, expAvgSq]` (+ `maxExpAvgSq`).
   */
  adam: 'TrainkitAdamUpdate',
  /**
   * PyTorch's RMSprop for one parameter. Inputs `param`, `grad`, `squareAvg`, with `centered`
   * `gradAvg`, with momentum > 0 `momentumBuffer`. Outputs in that order.
   */
  rmsprop: 'TrainkitRMSpropUpdate',
  /** PyTorch's Adagrad for one parameter. Inputs `param`, `grad`, `sum`. Outputs `[param, sum]`. */
  adagrad: 'TrainkitAdagradUpdate',
  /**
   * Mean softmax cross-entropy over the rows of 2-D `logits` against `labels` (same shape, rows
   * of class probabilities: one-hot, label-smoothed). Output: the scalar loss.
   */
  softmaxCrossEntropy: 'TrainkitSoftmaxCrossEntropy',
  /** Its gradient with respect to `logits`: inputs `logits`, `labels`, `dy` (scalar); output `(softmax(logits) - labels) * dy / rows`. */
  softmaxCrossEntropyGrad: 'TrainkitSoftmaxCrossEntropyGrad',
} as const;

export type FusedKernelName = (typeof FUSED_KERNELS)[keyof typeof FUSED_KERNELS];

/** Shared by every optimizer kernel: PyTorch's `maximize` and L2 `weight_decay`. */
interface UpdateAttrs {
  lr: number;
  weightDecay: number;
  maximize: boolean;
}

export interface SGDUpdateAttrs extends UpdateAttrs {
  momentum: number;
  dampening: number;
  nesterov: boolean;
}

export interface AdamUpdateAttrs extends UpdateAttrs {
  beta1: number;
  beta2: number;
  eps: number;
  /** The step count after this step (1 on the first), for the bias corrections. */
  step: number;
  /** AdamW: weight decay shrinks the weights instead of joining the gradient. */
  decoupled: boolean;
  amsgrad: boolean;
}

export interface RMSpropUpdateAttrs extends UpdateAttrs {
  alpha: number;
  eps: number;
  momentum: number;
  centered: boolean;
}

/** `lr` is this step's decayed learning rate, `lr / (1 + (step - 1) * lr_decay)`. */
export interface AdagradUpdateAttrs extends UpdateAttrs {
  eps: number;
}

/** Whether the current backend has the fused kernel `name` (a backend plugin registered it). */
export function hasFusedKernel(name: FusedKernelName): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** Runs a fused kernel through the engine (so it is tracked, profiled and tidied like any op). */
export function runFusedKernel(name: FusedKernelName, inputs: Record<string, tf.Tensor>, attrs: object): tf.Tensor[] {
  const out = tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap);
  return Array.isArray(out) ? out : [out as tf.Tensor];
}
