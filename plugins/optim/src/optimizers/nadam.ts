import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { betasSchema, ownOptions } from '../util/options.js';
import { bool, num, pair } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, zerosState } from './optimizer.js';

export const nadamOptions = defineOptions({
  lr: z.number().min(0).default(2e-3),
  betas: betasSchema().default([0.9, 0.999]),
  eps: z.number().min(0).default(1e-8),
  weight_decay: z.number().min(0).default(0),
  momentum_decay: z.number().min(0).default(4e-3),
  decoupled_weight_decay: z.boolean().default(false),
  maximize: z.boolean().default(false),
});

export type NAdamOptions = OptimizerBaseOptions & z.input<typeof nadamOptions>;

interface NAdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  momentumDecay: number;
  decoupled: boolean;
  maximize: boolean;
}

/**
 * PyTorch's NAdam (as of 1.13): Adam with a Nesterov look-ahead whose momentum coefficient
 * warms up through `momentum_decay`; the running product of those coefficients is state.
 */
export class NAdam extends Optimizer {
  constructor(opts: NAdamOptions) {
    super(opts.params, ownOptions(nadamOptions, opts, ['params'], 'NAdam'), 'NAdam');
  }

  protected prepareGroup(g: ParamGroup): NAdamHyper {
    const [beta1, beta2] = pair(g, 'betas');
    return {
      lr: num(g, 'lr'),
      beta1,
      beta2,
      eps: num(g, 'eps'),
      weightDecay: num(g, 'weight_decay'),
      momentumDecay: num(g, 'momentum_decay'),
      decoupled: bool(g, 'decoupled_weight_decay'),
      maximize: bool(g, 'maximize'),
    };
  }

  protected initState(p: tf.Variable): ParamState {
    return { step: 0, mu_product: 1, exp_avg: zerosState(p), exp_avg_sq: zerosState(p) };
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: NAdamHyper): void {
    const step = (s.step as number) + 1;
    s.step = step;
    let g = h.maximize ? tf.neg(grad) : grad;
    let param: tf.Tensor = p;
    if (h.weightDecay !== 0) {
      if (h.decoupled) param = tf.mul(p, 1 - h.lr * h.weightDecay);
      else g = tf.add(g, tf.mul(p, h.weightDecay));
    }
    const bias2 = 1 - h.beta2 ** step;
    const mu = h.beta1 * (1 - 0.5 * 0.96 ** (step * h.momentumDecay));
    const muNext = h.beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * h.momentumDecay));
    // PyTorch keeps the product in a float32 tensor; rounding it the same way keeps trajectories equal
    const muProduct = Math.fround((s.mu_product as number) * Math.fround(mu));
    s.mu_product = muProduct;
    // PyTorch 1.13 (the version the reference data comes from) counts mu twice in the
    // look-ahead product; 2.x drops the extra factor. The difference fades as the product -> 0.
    const muProductNext = muProduct * mu * muNext;
    const expAvg = s.exp_avg as tf.Variable;
    const expAvgSq = s.exp_avg_sq as tf.Variable;
    const m = tf.add(tf.mul(expAvg, h.beta1), tf.mul(g, 1 - h.beta1));
    const v = tf.add(tf.mul(expAvgSq, h.beta2), tf.mul(tf.square(g), 1 - h.beta2));
    expAvg.assign(m);
    expAvgSq.assign(v);
    const denom = tf.add(tf.sqrt(tf.div(v, bias2)), h.eps);
    const afterGrad = tf.sub(param, tf.mul(tf.div(g, denom), (h.lr * (1 - mu)) / (1 - muProduct)));
    p.assign(tf.sub(afterGrad, tf.mul(tf.div(m, denom), (h.lr * muNext) / (1 - muProductNext))));
  }
}
