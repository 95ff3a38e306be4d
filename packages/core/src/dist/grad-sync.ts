import type * as tf from '@tensorflow/tfjs';

/**
 * The hook an optimizer wrapper calls on its update step, between computing the (accumulated)
 * gradients and clipping them: in a distributed run it returns each gradient averaged over all
 * ranks (new tensors; the caller disposes both lists). Core installs one while a distributed
 * run trains, so optimizer plugins reduce gradients without knowing any collective backend.
 */
export interface GradientReducer {
  reduce(grads: tf.Tensor[]): Promise<tf.Tensor[]>;
}

let active: GradientReducer | undefined;

/** The reducer of the running distributed training, or undefined (one process). */
export function getGradientReducer(): GradientReducer | undefined {
  return active;
}

export function setGradientReducer(reducer: GradientReducer | undefined): void {
  active = reducer;
}
