import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS } from '@trainkit/core/backend';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { ownOptions } from '../util/options.js';
import { type AdamFamilyHyper, adamFamilyHyper, adamFamilyShape, adamState, decayed, updateMoments } from './adam-family.js';
import { canFuse, fusedUpdate } from './fused.js';
import { bool } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, countStep, zerosState } from './optimizer.js';

const adamShape = (weightDecay: number) => ({
  ...adamFamilyShape(1e-3, weightDecay),
  amsgrad: z.boolean().default(false),
  maximize: z.boolean().default(false),
});

export const adamOptions = defineOptions(adamShape(0));
export const adamWOptions = defineOptions(adamShape(1e-2));

export type AdamOptions = OptimizerBaseOptions & z.input<typeof adamOptions>;
export type AdamWOptions = OptimizerBaseOptions & z.input<typeof adamWOptions>;

interface AdamHyper extends AdamFamilyHyper {
  amsgrad: boolean;
}

/**
 * PyTorch's Adam (L2 decay folded into the gradient) and, with `decoupled`, AdamW (the weights
 * shrink by `lr * weight_decay` before the Adam step). Epsilon is added after dividing the
 * root of the second moment by its bias correction, as PyTorch does (TF.js adds it elsewhere).
 */
abstract class AdamBase extends Optimizer {
  protected abstract readonly decoupled: boolean;

  protected prepareGroup(g: ParamGroup): AdamHyper {
    return { ...adamFamilyHyper(g), amsgrad: bool(g, 'amsgrad') };
  }

  protected initState(p: tf.Variable, g: ParamGroup): ParamState {
    const s = adamState(p);
    // PyTorch creates the running maximum only for amsgrad groups
    if (bool(g, 'amsgrad')) s.max_exp_avg_sq = zerosState(p);
    return s;
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: AdamHyper): void {
    const step = countStep(s);
    if (canFuse(FUSED_KERNELS.adam, p, grad)) {
      const targets = [p, s.exp_avg as tf.Variable, s.exp_avg_sq as tf.Variable];
      if (h.amsgrad) targets.push((s.max_exp_avg_sq ??= zerosState(p)) as tf.Variable);
      const [, expAvg, expAvgSq, maxExpAvgSq] = targets;
      fusedUpdate(FUSED_KERNELS.adam, { param: p, grad, expAvg, expAvgSq, maxExpAvgSq }, { ...h, step, decoupled: this.decoupled }, targets);
      return;
    }
    const { g, param } = decayed(p, grad, h, this.decoupled);
    const [m, v] = updateMoments(s, g, h);
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
