import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { betasSchema, ownOptions } from '../util/options.js';
import { bool, num, pair } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, zerosState } from './optimizer.js';

export const adamaxOptions = defineOptions({
  lr: z.number().min(0).default(2e-3),
  betas: betasSchema().default([0.9, 0.999]),
  eps: z.number().min(0).default(1e-8),
  weight_decay: z.number().min(0).default(0),
  maximize: z.boolean().default(false),
});

export type AdamaxOptions = OptimizerBaseOptions & z.input<typeof adamaxOptions>;

interface AdamaxHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/** PyTorch's Adamax: an infinity-norm second moment, with eps added to |grad| inside the max. */
export class Adamax extends Optimizer {
  constructor(opts: AdamaxOptions) {
    super(opts.params, ownOptions(adamaxOptions, opts, ['params'], 'Adamax'), 'Adamax');
  }

  protected prepareGroup(g: ParamGroup): AdamaxHyper {
    const [beta1, beta2] = pair(g, 'betas');
    return { lr: num(g, 'lr'), beta1, beta2, eps: num(g, 'eps'), weightDecay: num(g, 'weight_decay'), maximize: bool(g, 'maximize') };
  }

  protected initState(p: tf.Variable): ParamState {
    return { step: 0, exp_avg: zerosState(p), exp_inf: zerosState(p) };
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: AdamaxHyper): void {
    const step = (s.step as number) + 1;
    s.step = step;
    let g = h.maximize ? tf.neg(grad) : grad;
    if (h.weightDecay !== 0) g = tf.add(g, tf.mul(p, h.weightDecay));
    const expAvg = s.exp_avg as tf.Variable;
    const expInf = s.exp_inf as tf.Variable;
    const m = tf.add(tf.mul(expAvg, h.beta1), tf.mul(g, 1 - h.beta1));
    const u = tf.maximum(tf.mul(expInf, h.beta2), tf.add(tf.abs(g), h.eps));
    expAvg.assign(m);
    expInf.assign(u);
    const clr = h.lr / (1 - h.beta1 ** step);
    p.assign(tf.sub(p, tf.mul(tf.div(m, u), clr)));
  }
}
