import * as tf from '@tensorflow/tfjs';
import { TrainkitError } from '../errors.js';
import type { LossOutput } from '../optim/types.js';

export type LossDict = Record<string, tf.Tensor | tf.Tensor[]>;

/**
 * MMEngine's parse_losses: every entry is averaged (a list is summed after averaging each),
 * the total is the sum of entries whose name contains `loss`, and `loss` leads the log vars.
 * A model that returns an entry named exactly `loss` logs that entry (MMEngine's quirk is kept:
 * it shadows the total in the log) while the total is what is minimised.
 */
export function parseLosses(losses: LossDict): LossOutput {
  const logVars: Record<string, tf.Scalar> = {};
  const entries: Array<[string, tf.Scalar]> = [];
  for (const [name, value] of Object.entries(losses)) {
    let v: tf.Scalar;
    if (Array.isArray(value)) {
      if (value.length === 0) throw new TrainkitError(`loss "${name}" is an empty list`);
      v = tf.addN(value.map((t) => tf.mean(t))) as tf.Scalar;
    } else if (value instanceof tf.Tensor) {
      // a loss that is already a scalar needs no mean (one kernel less per loss and step)
      v = (value.rank === 0 ? value : tf.mean(value)) as tf.Scalar;
    } else {
      throw new TrainkitError(`loss "${name}" must be a tensor or a list of tensors, got ${typeof value}`);
    }
    entries.push([name, v]);
  }
  const lossTerms = entries.filter(([n]) => n.includes('loss')).map(([, v]) => v);
  if (lossTerms.length === 0) throw new TrainkitError(`the model returned no entry whose name contains "loss" (got ${Object.keys(losses).join(', ')})`);
  const total = (lossTerms.length === 1 ? lossTerms[0] : tf.addN(lossTerms)) as tf.Scalar;
  logVars.loss = total;
  for (const [name, v] of entries) logVars[name] = v;
  return { loss: total, logVars };
}
