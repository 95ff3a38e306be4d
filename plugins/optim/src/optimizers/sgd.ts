import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS } from '@trainkit/core/backend';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { ownOptions } from '../util/options.js';
import { canFuse, fusedUpdate } from './fused.js';
import { bool, num } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, l2Grad } from './optimizer.js';

export const sgdOptions = defineOptions({
  lr: z.number().min(0),
  momentum: z.number().min(0).default(0),
  dampening: z.number().default(0),
  weight_decay: z.number().min(0).default(0),
  nesterov: z.boolean().default(false),
  maximize: z.boolean().default(false),
}).superRefine((o, ctx) => {
  if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
    ctx.addIssue({
      code: 'custom',
      path: ['nesterov'],
      message: 'Nesterov momentum needs momentum > 0 and dampening 0: set momentum (e.g. 0.9) and dampening: 0, or nesterov: false',
    });
  }
});

export type SGDOptions = OptimizerBaseOptions & z.input<typeof sgdOptions>;

interface SGDHyper {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * PyTorch's SGD: L2 weight decay added to the gradient, heavy-ball momentum whose buffer starts
 * as the first gradient (no dampening on that step), optional Nesterov look-ahead.
 */
export class SGD extends Optimizer {
  constructor(opts: SGDOptions) {
    super(opts.params, ownOptions(sgdOptions, opts, ['params'], 'SGD'), 'SGD');
  }

  protected prepareGroup(g: ParamGroup): SGDHyper {
    return {
      lr: num(g, 'lr'),
      momentum: num(g, 'momentum'),
      dampening: num(g, 'dampening'),
      weightDecay: num(g, 'weight_decay'),
      nesterov: bool(g, 'nesterov'),
      maximize: bool(g, 'maximize'),
    };
  }

  protected initState(): ParamState {
    return {};
  }

  protected update(p: tf.Variable, grad: tf.Tensor, state: ParamState, h: SGDHyper): void {
    if (canFuse(FUSED_KERNELS.sgd, p, grad)) {
      this.fused(p, grad, state, h);
      return;
    }
    let d = l2Grad(p, grad, h);
    if (h.momentum !== 0) {
      const buf = state.momentum_buffer as tf.Variable | undefined;
      if (!buf) {
        state.momentum_buffer = tf.variable(d, false);
        if (h.nesterov) d = tf.add(d, tf.mul(d, h.momentum));
      } else {
        const scaled = h.dampening === 0 ? d : tf.mul(d, 1 - h.dampening);
        const next = tf.add(tf.mul(buf, h.momentum), scaled);
        buf.assign(next);
        d = h.nesterov ? tf.add(d, tf.mul(next, h.momentum)) : next;
      }
    }
    p.assign(tf.sub(p, tf.mul(d, h.lr)));
  }

  /** The same update as one backend kernel (see fused.ts); the first momentum step creates the buffer. */
  private fused(p: tf.Variable, grad: tf.Tensor, state: ParamState, h: SGDHyper): void {
    const buf = state.momentum_buffer as tf.Variable | undefined;
    if (h.momentum === 0) {
      fusedUpdate(FUSED_KERNELS.sgd, { param: p, grad }, h, [p]);
      return;
    }
    const next = buf ?? tf.variable(tf.zerosLike(p), false);
    fusedUpdate(FUSED_KERNELS.sgd, { param: p, grad, momentumBuffer: buf }, h, [p, next]);
    state.momentum_buffer = next;
  }
}
