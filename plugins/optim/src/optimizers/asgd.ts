import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { ownOptions } from '../util/options.js';
import { bool, num } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, countStep, l2Grad, zerosState } from './optimizer.js';

export const asgdOptions = defineOptions({
  lr: z.number().min(0).default(1e-2),
  /** Decay term: the weights shrink by `1 - lambd * eta` every step, and eta decays with it. */
  lambd: z.number().min(0).default(1e-4),
  /** Power of the eta decay. */
  alpha: z.number().min(0).default(0.75),
  /** Step after which the running average starts (before it, `ax` copies the weights). */
  t0: z.number().min(0).default(1e6),
  weight_decay: z.number().min(0).default(0),
  maximize: z.boolean().default(false),
});

export type ASGDOptions = OptimizerBaseOptions & z.input<typeof asgdOptions>;

interface ASGDHyper {
  lr: number;
  lambd: number;
  alpha: number;
  t0: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * PyTorch's ASGD (averaged SGD): an SGD step of size `eta`, which decays as
 * `lr / (1 + lambd * lr * step) ** alpha`, after shrinking the weights by `1 - lambd * eta`;
 * `ax` keeps the running average of the weights from step `t0` on (PyTorch keeps it in the
 * optimizer state and never writes it into the model; neither does this).
 */
export class ASGD extends Optimizer {
  constructor(opts: ASGDOptions) {
    super(opts.params, ownOptions(asgdOptions, opts, ['params'], 'ASGD'), 'ASGD');
  }

  protected prepareGroup(g: ParamGroup): ASGDHyper {
    return {
      lr: num(g, 'lr'),
      lambd: num(g, 'lambd'),
      alpha: num(g, 'alpha'),
      t0: num(g, 't0'),
      weightDecay: num(g, 'weight_decay'),
      maximize: bool(g, 'maximize'),
    };
  }

  protected initState(p: tf.Variable, g: ParamGroup): ParamState {
    // PyTorch keeps eta and mu as float32 tensors: rounded the same way here
    return { step: 0, eta: Math.fround(num(g, 'lr')), mu: 1, ax: zerosState(p) };
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: ASGDHyper): void {
    const step = countStep(s);
    const g = l2Grad(p, grad, h);
    const eta = s.eta as number;
    const mu = s.mu as number;
    const next = tf.sub(tf.mul(p, 1 - h.lambd * eta), tf.mul(g, eta));
    p.assign(next);
    const ax = s.ax as tf.Variable;
    ax.assign(mu === 1 ? next : tf.add(ax, tf.mul(tf.sub(next, ax), mu)));
    s.eta = Math.fround(h.lr / (1 + h.lambd * h.lr * step) ** h.alpha);
    s.mu = Math.fround(1 / Math.max(1, step - h.t0));
  }
}
