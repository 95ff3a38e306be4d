import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { ownOptions } from '../util/options.js';
import { type AdamFamilyHyper, adamFamilyHyper, adamFamilyShape, decayed, updateMoments } from './adam-family.js';
import { bool, num } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, countStep, zerosState } from './optimizer.js';

export const nadamOptions = defineOptions({
  ...adamFamilyShape(2e-3),
  momentum_decay: z.number().min(0).default(4e-3),
  decoupled_weight_decay: z.boolean().default(false),
  maximize: z.boolean().default(false),
});

export type NAdamOptions = OptimizerBaseOptions & z.input<typeof nadamOptions>;

interface NAdamHyper extends AdamFamilyHyper {
  momentumDecay: number;
  decoupled: boolean;
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
    return { ...adamFamilyHyper(g), momentumDecay: num(g, 'momentum_decay'), decoupled: bool(g, 'decoupled_weight_decay') };
  }

  protected initState(p: tf.Variable): ParamState {
    return { step: 0, mu_product: 1, exp_avg: zerosState(p), exp_avg_sq: zerosState(p) };
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: NAdamHyper): void {
    const step = countStep(s);
    const { g, param } = decayed(p, grad, h, h.decoupled);
    const bias2 = 1 - h.beta2 ** step;
    const mu = h.beta1 * (1 - 0.5 * 0.96 ** (step * h.momentumDecay));
    const muNext = h.beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * h.momentumDecay));
    // PyTorch keeps the product in a float32 tensor; rounding it the same way keeps trajectories equal
    const muProduct = Math.fround((s.mu_product as number) * Math.fround(mu));
    s.mu_product = muProduct;
    // PyTorch 1.13 (the version the reference data comes from) counts mu twice in the
    // look-ahead product; 2.x drops the extra factor. The difference fades as the product -> 0.
    const muProductNext = muProduct * mu * muNext;
    const [m, v] = updateMoments(s, g, h);
    const denom = tf.add(tf.sqrt(tf.div(v, bias2)), h.eps);
    const afterGrad = tf.sub(param, tf.mul(tf.div(g, denom), (h.lr * (1 - mu)) / (1 - muProduct)));
    p.assign(tf.sub(afterGrad, tf.mul(tf.div(m, denom), (h.lr * muNext) / (1 - muProductNext))));
  }
}
