import * as tf from '@tensorflow/tfjs';
import type { LossOutput } from '@trainkit/core';

/** `sum(w * c)`: its gradient is exactly `c`, so updates can be checked by hand. */
export function linearLoss(w: tf.Variable, c: number[] | tf.Tensor): () => LossOutput {
  return () => {
    const coef = c instanceof tf.Tensor ? c : tf.tensor(c, w.shape);
    const loss = tf.sum(tf.mul(w, coef)) as tf.Scalar;
    return { loss, logVars: { loss, loss_aux: tf.mul(loss, 0.5) as tf.Scalar } };
  };
}

export function disposeAll(vars: Record<string, tf.Tensor> | Promise<Record<string, tf.Tensor>>): void {
  for (const v of Object.values(now(vars))) v.dispose();
}

/** updateParams' log vars in one process, where it answers at once (a promise means a distributed step). */
export function now<T>(value: T | Promise<T>): T {
  if (value instanceof Promise) throw new Error('updateParams returned a promise outside a distributed run');
  return value;
}
