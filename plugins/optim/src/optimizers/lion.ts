import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { betasSchema, ownOptions } from '../util/options.js';
import { num, pair } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, ema, shrunk, zerosState } from './optimizer.js';

export const lionOptions = defineOptions({
  lr: z.number().min(0).default(1e-4),
  betas: betasSchema(true).default([0.9, 0.99]),
  weight_decay: z.number().min(0).default(0),
});

export type LionOptions = OptimizerBaseOptions & z.input<typeof lionOptions>;

interface LionHyper {
  lr: number;
  beta1: number;
  beta2: number;
  weightDecay: number;
}

/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): decoupled decay,
 * then a step of `lr` along the sign of an interpolation of momentum and gradient; the
 * momentum itself is updated afterwards with the second coefficient.
 */
export class Lion extends Optimizer {
  constructor(opts: LionOptions) {
    super(opts.params, ownOptions(lionOptions, opts, ['params'], 'Lion'), 'Lion');
  }

  protected prepareGroup(g: ParamGroup): LionHyper {
    const [beta1, beta2] = pair(g, 'betas');
    return { lr: num(g, 'lr'), beta1, beta2, weightDecay: num(g, 'weight_decay') };
  }

  protected initState(p: tf.Variable): ParamState {
    return { exp_avg: zerosState(p) };
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: LionHyper): void {
    const expAvg = s.exp_avg as tf.Variable;
    const param = shrunk(p, h);
    const direction = tf.sign(ema(expAvg, grad, h.beta1));
    p.assign(tf.sub(param, tf.mul(direction, h.lr)));
    expAvg.assign(ema(expAvg, grad, h.beta2));
  }
}
