import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { ownOptions } from '../util/options.js';
import { bool, num, pair } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, countStep, zerosState } from './optimizer.js';

const positivePair = (example: string, ordered: (a: number, b: number) => boolean, message: string) =>
  z
    .custom<[number, number]>((v) => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number'), {
      message: `write two numbers, e.g. ${example}`,
    })
    .refine(([a, b]) => a > 0 && b > 0 && ordered(a, b), { message });

export const rpropOptions = defineOptions({
  lr: z.number().positive().default(1e-2),
  /** (etaminus, etaplus): the step size shrinks by etaminus when the gradient's sign flips and grows by etaplus when it holds. */
  etas: positivePair('[0.5, 1.2]', (a, b) => a < 1 && b > 1, 'give 0 < etaminus < 1 < etaplus, e.g. [0.5, 1.2]').default([0.5, 1.2]),
  /** (min, max) bounds of every step size. */
  step_sizes: positivePair('[1e-6, 50]', (a, b) => a <= b, 'give 0 < min <= max, e.g. [1e-6, 50]').default([1e-6, 50]),
  maximize: z.boolean().default(false),
});

export type RpropOptions = OptimizerBaseOptions & z.input<typeof rpropOptions>;

interface RpropHyper {
  etaMinus: number;
  etaPlus: number;
  minStep: number;
  maxStep: number;
  maximize: boolean;
}

/**
 * PyTorch's Rprop (resilient backpropagation): each weight has its own step size, which grows
 * by etaplus while the gradient keeps its sign and shrinks by etaminus when it flips; the
 * weight moves by its step size against the gradient's sign only. After a flip the gradient
 * counts as 0 for that step (no move, and no flip seen next step), as PyTorch does.
 */
export class Rprop extends Optimizer {
  constructor(opts: RpropOptions) {
    super(opts.params, ownOptions(rpropOptions, opts, ['params'], 'Rprop'), 'Rprop');
  }

  protected prepareGroup(g: ParamGroup): RpropHyper {
    const [etaMinus, etaPlus] = pair(g, 'etas');
    const [minStep, maxStep] = pair(g, 'step_sizes');
    return { etaMinus, etaPlus, minStep, maxStep, maximize: bool(g, 'maximize') };
  }

  protected initState(p: tf.Variable, g: ParamGroup): ParamState {
    return { step: 0, prev: zerosState(p), step_size: zerosState(p, num(g, 'lr')) };
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: RpropHyper): void {
    countStep(s);
    const g = h.maximize ? tf.neg(grad) : grad;
    const prev = s.prev as tf.Variable;
    const stepSize = s.step_size as tf.Variable;
    const agreement = tf.sign(tf.mul(g, prev));
    const factor = tf.where(
      tf.greater(agreement, 0),
      tf.fill(p.shape, h.etaPlus),
      tf.where(tf.less(agreement, 0), tf.fill(p.shape, h.etaMinus), tf.onesLike(p)),
    );
    stepSize.assign(tf.clipByValue(tf.mul(stepSize, factor), h.minStep, h.maxStep));
    // compared in float32 like PyTorch's sign.eq(etaminus), so the same entries are zeroed
    const flipped = tf.equal(factor, h.etaMinus);
    const kept = tf.where(flipped, tf.zerosLike(g), g);
    p.assign(tf.sub(p, tf.mul(tf.sign(kept), stepSize)));
    prev.assign(kept);
  }
}
