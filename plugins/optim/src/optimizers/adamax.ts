import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { ownOptions } from '../util/options.js';
import { type AdamFamilyHyper, adamFamilyHyper, adamFamilyShape } from './adam-family.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, countStep, ema, l2Grad, zerosState } from './optimizer.js';

export const adamaxOptions = defineOptions({
  ...adamFamilyShape(2e-3),
  maximize: z.boolean().default(false),
});

export type AdamaxOptions = OptimizerBaseOptions & z.input<typeof adamaxOptions>;

/** PyTorch's Adamax: an infinity-norm second moment, with eps added to |grad| inside the max. */
export class Adamax extends Optimizer {
  constructor(opts: AdamaxOptions) {
    super(opts.params, ownOptions(adamaxOptions, opts, ['params'], 'Adamax'), 'Adamax');
  }

  protected prepareGroup(g: ParamGroup): AdamFamilyHyper {
    return adamFamilyHyper(g);
  }

  protected initState(p: tf.Variable): ParamState {
    return { step: 0, exp_avg: zerosState(p), exp_inf: zerosState(p) };
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: AdamFamilyHyper): void {
    const step = countStep(s);
    const g = l2Grad(p, grad, h);
    const expAvg = s.exp_avg as tf.Variable;
    const expInf = s.exp_inf as tf.Variable;
    const m = ema(expAvg, g, h.beta1);
    const u = tf.maximum(tf.mul(expInf, h.beta2), tf.add(tf.abs(g), h.eps));
    expAvg.assign(m);
    expInf.assign(u);
    const clr = h.lr / (1 - h.beta1 ** step);
    p.assign(tf.sub(p, tf.mul(tf.div(m, u), clr)));
  }
}
