import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { ownOptions } from '../util/options.js';
import { bool, num } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, countStep, ema, l2Grad, zerosState } from './optimizer.js';

export const adadeltaOptions = defineOptions({
  lr: z.number().min(0).default(1.0),
  rho: z.number().min(0).max(1).default(0.9),
  eps: z.number().min(0).default(1e-6),
  weight_decay: z.number().min(0).default(0),
  maximize: z.boolean().default(false),
});

export type AdadeltaOptions = OptimizerBaseOptions & z.input<typeof adadeltaOptions>;

interface AdadeltaHyper {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/** PyTorch's Adadelta: the ratio of running RMS of updates to running RMS of gradients, scaled by lr. */
export class Adadelta extends Optimizer {
  constructor(opts: AdadeltaOptions) {
    super(opts.params, ownOptions(adadeltaOptions, opts, ['params'], 'Adadelta'), 'Adadelta');
  }

  protected prepareGroup(g: ParamGroup): AdadeltaHyper {
    return { lr: num(g, 'lr'), rho: num(g, 'rho'), eps: num(g, 'eps'), weightDecay: num(g, 'weight_decay'), maximize: bool(g, 'maximize') };
  }

  protected initState(p: tf.Variable): ParamState {
    return { step: 0, square_avg: zerosState(p), acc_delta: zerosState(p) };
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: AdadeltaHyper): void {
    countStep(s);
    const g = l2Grad(p, grad, h);
    const squareAvg = s.square_avg as tf.Variable;
    const accDelta = s.acc_delta as tf.Variable;
    const sq = ema(squareAvg, tf.square(g), h.rho);
    squareAvg.assign(sq);
    const std = tf.sqrt(tf.add(sq, h.eps));
    const delta = tf.mul(tf.div(tf.sqrt(tf.add(accDelta, h.eps)), std), g);
    accDelta.assign(ema(accDelta, tf.square(delta), h.rho));
    p.assign(tf.sub(p, tf.mul(delta, h.lr)));
  }
}
