import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { ownOptions } from '../util/options.js';
import { type AdamFamilyHyper, adamFamilyHyper, adamFamilyShape, adamState, decayed, updateMoments } from './adam-family.js';
import { bool } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, countStep } from './optimizer.js';

export const radamOptions = defineOptions({
  ...adamFamilyShape(1e-3),
  decoupled_weight_decay: z.boolean().default(false),
  maximize: z.boolean().default(false),
});

export type RAdamOptions = OptimizerBaseOptions & z.input<typeof radamOptions>;

interface RAdamHyper extends AdamFamilyHyper {
  decoupled: boolean;
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
    return { ...adamFamilyHyper(g), decoupled: bool(g, 'decoupled_weight_decay') };
  }

  protected initState(p: tf.Variable): ParamState {
    return adamState(p);
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: RAdamHyper): void {
    const step = countStep(s);
    const { g, param } = decayed(p, grad, h, h.decoupled);
    const [m, v] = updateMoments(s, g, h);
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
