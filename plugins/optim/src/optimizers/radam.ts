import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { betasSchema, ownOptions } from '../util/options.js';
import { bool, num, pair } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, zerosState } from './optimizer.js';

export const radamOptions = defineOptions({
  lr: z.number().min(0).default(1e-3),
  betas: betasSchema().default([0.9, 0.999]),
  eps: z.number().min(0).default(1e-8),
  weight_decay: z.number().min(0).default(0),
  decoupled_weight_decay: z.boolean().default(false),
  maximize: z.boolean().default(false),
});

export type RAdamOptions = OptimizerBaseOptions & z.input<typeof radamOptions>;

interface RAdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  maximize: boolean;
}

/**
 * PyTorch's RAdam: Adam whose adaptive term is switched on (and rectified) only once the
 * approximated length of the moving average exceeds 5; before that it is momentum SGD.
 */
export class RAdam extends Optimizer {
  constructor(opts: RAdamOptions) {
    super(opts.params, ownOptions(radamOptions, opts, ['params'], 'RAdam'), 'RAdam');
  }

  protected prepareGroup(g: ParamGroup): RAdamHyper {
    const [beta1, beta2] = pair(g, 'betas');
    return {
      lr: num(g, 'lr'),
      beta1,
      beta2,
      eps: num(g, 'eps'),
      weightDecay: num(g, 'weight_decay'),
      decoupled: bool(g, 'decoupled_weight_decay'),
      maximize: bool(g, 'maximize'),
    };
  }

  protected initState(p: tf.Variable): ParamState {
    return { step: 0, exp_avg: zerosState(p), exp_avg_sq: zerosState(p) };
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: RAdamHyper): void {
    const step = (s.step as number) + 1;
    s.step = step;
    let g = h.maximize ? tf.neg(grad) : grad;
    let param: tf.Tensor = p;
    if (h.weightDecay !== 0) {
      if (h.decoupled) param = tf.mul(p, 1 - h.lr * h.weightDecay);
      else g = tf.add(g, tf.mul(p, h.weightDecay));
    }
    const expAvg = s.exp_avg as tf.Variable;
    const expAvgSq = s.exp_avg_sq as tf.Variable;
    const m = tf.add(tf.mul(expAvg, h.beta1), tf.mul(g, 1 - h.beta1));
    const v = tf.add(tf.mul(expAvgSq, h.beta2), tf.mul(tf.square(g), 1 - h.beta2));
    expAvg.assign(m);
    expAvgSq.assign(v);
    const bias1 = 1 - h.beta1 ** step;
    const bias2 = 1 - h.beta2 ** step;
    const corrected = tf.div(m, bias1);
    const rhoInf = 2 / (1 - h.beta2) - 1;
    const rhoT = rhoInf - (2 * step * h.beta2 ** step) / bias2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptive = tf.div(Math.sqrt(bias2), tf.add(tf.sqrt(v), h.eps));
      p.assign(tf.sub(param, tf.mul(tf.mul(tf.mul(corrected, h.lr), adaptive), rect)));
    } else {
      p.assign(tf.sub(param, tf.mul(corrected, h.lr)));
    }
  }
}
