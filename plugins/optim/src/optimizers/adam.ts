import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { betasSchema, ownOptions } from '../util/options.js';
import { bool, num, pair } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, zerosState } from './optimizer.js';

const adamShape = (weightDecay: number) => ({
  lr: z.number().min(0).default(1e-3),
  betas: betasSchema().default([0.9, 0.999]),
  eps: z.number().min(0).default(1e-8),
  weight_decay: z.number().min(0).default(weightDecay),
  amsgrad: z.boolean().default(false),
  maximize: z.boolean().default(false),
});

export const adamOptions = defineOptions(adamShape(0));
export const adamWOptions = defineOptions(adamShape(1e-2));

export type AdamOptions = OptimizerBaseOptions & z.input<typeof adamOptions>;
export type AdamWOptions = OptimizerBaseOptions & z.input<typeof adamWOptions>;

interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/**
 * PyTorch's Adam (L2 decay folded into the gradient) and, with `decoupled`, AdamW (the weights
 * shrink by `lr * weight_decay` before the Adam step). Epsilon is added after dividing the
 * root of the second moment by its bias correction, as PyTorch does (TF.js adds it elsewhere).
 */
abstract class AdamBase extends Optimizer {
  protected abstract readonly decoupled: boolean;

  protected prepareGroup(g: ParamGroup): AdamHyper {
    const [beta1, beta2] = pair(g, 'betas');
    return {
      lr: num(g, 'lr'),
      beta1,
      beta2,
      eps: num(g, 'eps'),
      weightDecay: num(g, 'weight_decay'),
      amsgrad: bool(g, 'amsgrad'),
      maximize: bool(g, 'maximize'),
    };
  }

  protected initState(p: tf.Variable, g: ParamGroup): ParamState {
    const s: ParamState = { step: 0, exp_avg: zerosState(p), exp_avg_sq: zerosState(p) };
    // PyTorch creates the running maximum only for amsgrad groups
    if (bool(g, 'amsgrad')) s.max_exp_avg_sq = zerosState(p);
    return s;
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: AdamHyper): void {
    const step = (s.step as number) + 1;
    s.step = step;
    let g = h.maximize ? tf.neg(grad) : grad;
    let param: tf.Tensor = p;
    if (h.weightDecay !== 0) {
      if (this.decoupled) param = tf.mul(p, 1 - h.lr * h.weightDecay);
      else g = tf.add(g, tf.mul(p, h.weightDecay));
    }
    const expAvg = s.exp_avg as tf.Variable;
    const expAvgSq = s.exp_avg_sq as tf.Variable;
    const m = tf.add(tf.mul(expAvg, h.beta1), tf.mul(g, 1 - h.beta1));
    const v = tf.add(tf.mul(expAvgSq, h.beta2), tf.mul(tf.square(g), 1 - h.beta2));
    expAvg.assign(m);
    expAvgSq.assign(v);
    const bias1 = 1 - h.beta1 ** step;
    const bias2Sqrt = Math.sqrt(1 - h.beta2 ** step);
    let second: tf.Tensor = v;
    if (h.amsgrad) {
      const max = (s.max_exp_avg_sq ??= zerosState(p)) as tf.Variable;
      second = tf.maximum(max, v);
      max.assign(second);
    }
    const denom = tf.add(tf.div(tf.sqrt(second), bias2Sqrt), h.eps);
    p.assign(tf.sub(param, tf.mul(tf.div(m, denom), h.lr / bias1)));
  }
}

export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(opts: AdamOptions) {
    super(opts.params, ownOptions(adamOptions, opts, ['params'], 'Adam'), 'Adam');
  }
}

export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(opts: AdamWOptions) {
    super(opts.params, ownOptions(adamWOptions, opts, ['params'], 'AdamW'), 'AdamW');
  }
}
