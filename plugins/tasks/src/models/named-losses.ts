import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@trainkit/core';
import { didYouMean } from '@trainkit/core/plugin';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

/** A loss over targets and model outputs that returns a scalar (the batch mean). */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** What a named loss expects of the targets and what predict mode makes of the outputs. */
export type LossKind = 'regression' | 'categorical' | 'sparse' | 'binary';

export interface NamedLoss {
  name: string;
  kind: LossKind;
  fn: (fromLogits: boolean) => LossFunction;
}

// Keras' epsilon: probabilities are clipped to [EPS, 1 - EPS] before the log
const EPS = 1e-7;

const regression = (name: string, f: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor): NamedLoss => ({
  name,
  kind: 'regression',
  fn: () => (t, p) => tf.mean(f(t, p)),
});

function categorical(fromLogits: boolean): LossFunction {
  return (t, p) => {
    // the fused kernel pair where the backend has it, tf.losses.softmaxCrossEntropy elsewhere
    if (fromLogits) return softmaxCrossEntropy(t as tf.Tensor2D, p as tf.Tensor2D);
    // Keras scales the outputs to sum to one, then clips
    const probs = tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), EPS, 1 - EPS);
    return tf.mean(tf.neg(tf.sum(tf.mul(t, tf.log(probs)), -1)));
  };
}

function binary(fromLogits: boolean): LossFunction {
  return (t, p) => {
    if (fromLogits) return tf.losses.sigmoidCrossEntropy(t, p) as tf.Scalar;
    const q = tf.clipByValue(p, EPS, 1 - EPS);
    return tf.mean(tf.neg(tf.add(tf.mul(t, tf.log(q)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, q))))));
  };
}

const LOSSES: NamedLoss[] = [
  regression('meanSquaredError', (t, p) => tf.squaredDifference(t, p)),
  regression('meanAbsoluteError', (t, p) => tf.abs(tf.sub(t, p))),
  regression('meanAbsolutePercentageError', (t, p) => tf.mul(100, tf.div(tf.abs(tf.sub(t, p)), tf.maximum(tf.abs(t), EPS)))),
  regression('meanSquaredLogarithmicError', (t, p) => tf.squaredDifference(tf.log1p(tf.maximum(t, EPS)), tf.log1p(tf.maximum(p, EPS)))),
  regression('huber', (t, p) => {
    // delta 1, as Keras' Huber default
    const err = tf.abs(tf.sub(t, p));
    const quadratic = tf.minimum(err, 1);
    return tf.add(tf.mul(0.5, tf.square(quadratic)), tf.sub(err, quadratic));
  }),
  { name: 'categoricalCrossentropy', kind: 'categorical', fn: categorical },
  // the targets arrive as class indices and are one-hot encoded by the wrapper
  { name: 'sparseCategoricalCrossentropy', kind: 'sparse', fn: categorical },
  { name: 'binaryCrossentropy', kind: 'binary', fn: binary },
];

// the short names Keras accepts too
const ALIASES: Record<string, string> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
};

const normalise = (n: string) => n.replace(/_/g, '').toLowerCase();

/** The loss a tfjs/Keras name stands for (`meanSquaredError`, `mean_squared_error`, `mse`, ...). */
export function namedLoss(name: string, path = 'model.loss'): NamedLoss {
  const target = ALIASES[name.toLowerCase()] ?? name;
  const hit = LOSSES.find((l) => normalise(l.name) === normalise(target));
  if (!hit) {
    throw new ConfigError(
      `unknown loss "${name}".${didYouMean(
        name,
        LOSSES.map((l) => l.name),
      )}`,
      {
        path,
        fix: `use one of ${LOSSES.map((l) => l.name).join(', ')} (or mse, mae, mape, msle), or pass a function (yTrue, yPred) => scalar`,
      },
    );
  }
  return hit;
}

export const LOSS_NAMES: readonly string[] = LOSSES.map((l) => l.name);
