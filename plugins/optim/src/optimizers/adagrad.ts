import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS } from '@trainkit/core/backend';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { ownOptions } from '../util/options.js';
import { canFuse, fusedUpdate } from './fused.js';
import { bool, num } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, countStep, l2Grad, zerosState } from './optimizer.js';

export const adagradOptions = defineOptions({
  lr: z.number().min(0).default(1e-2),
  lr_decay: z.number().min(0).default(0),
  weight_decay: z.number().min(0).default(0),
  initial_accumulator_value: z.number().min(0).default(0),
  eps: z.number().min(0).default(1e-10),
  maximize: z.boolean().default(false),
});

export type AdagradOptions = OptimizerBaseOptions & z.input<typeof adagradOptions>;

interface AdagradHyper {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
}

/** PyTorch's Adagrad: a decaying step size `lr / (1 + (step - 1) * lr_decay)` and eps outside the root. */
export class Adagrad extends Optimizer {
  constructor(opts: AdagradOptions) {
    super(opts.params, ownOptions(adagradOptions, opts, ['params'], 'Adagrad'), 'Adagrad');
  }

  protected prepareGroup(g: ParamGroup): AdagradHyper {
    return { lr: num(g, 'lr'), lrDecay: num(g, 'lr_decay'), weightDecay: num(g, 'weight_decay'), eps: num(g, 'eps'), maximize: bool(g, 'maximize') };
  }

  protected initState(p: tf.Variable, g: ParamGroup): ParamState {
    return { step: 0, sum: zerosState(p, num(g, 'initial_accumulator_value')) };
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: AdagradHyper): void {
    const step = countStep(s);
    const clr = h.lr / (1 + (step - 1) * h.lrDecay);
    const sum = s.sum as tf.Variable;
    if (canFuse(FUSED_KERNELS.adagrad, p, grad)) {
      fusedUpdate(FUSED_KERNELS.adagrad, { param: p, grad, sum }, { ...h, lr: clr }, [p, sum]);
      return;
    }
    const g = l2Grad(p, grad, h);
    const next = tf.add(sum, tf.square(g));
    sum.assign(next);
    p.assign(tf.sub(p, tf.mul(tf.div(g, tf.add(tf.sqrt(next), h.eps)), clr)));
  }
}
