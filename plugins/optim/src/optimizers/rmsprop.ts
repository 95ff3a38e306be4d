import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS } from '@trainkit/core/backend';
import { type ParamGroup, defineOptions, z } from '@trainkit/core';
import { ownOptions } from '../util/options.js';
import { canFuse, fusedUpdate } from './fused.js';
import { bool, num } from './hyper.js';
import { Optimizer, type OptimizerBaseOptions, type ParamState, countStep, ema, l2Grad, zerosState } from './optimizer.js';

export const rmspropOptions = defineOptions({
  lr: z.number().min(0).default(1e-2),
  alpha: z.number().min(0).default(0.99),
  eps: z.number().min(0).default(1e-8),
  weight_decay: z.number().min(0).default(0),
  momentum: z.number().min(0).default(0),
  centered: z.boolean().default(false),
  maximize: z.boolean().default(false),
});

export type RMSpropOptions = OptimizerBaseOptions & z.input<typeof rmspropOptions>;

interface RMSpropHyper {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/**
 * PyTorch's RMSprop: eps added outside the square root, optional centring by the running mean
 * gradient, and a momentum buffer of the normalised gradient.
 */
export class RMSprop extends Optimizer {
  constructor(opts: RMSpropOptions) {
    super(opts.params, ownOptions(rmspropOptions, opts, ['params'], 'RMSprop'), 'RMSprop');
  }

  protected prepareGroup(g: ParamGroup): RMSpropHyper {
    return {
      lr: num(g, 'lr'),
      alpha: num(g, 'alpha'),
      eps: num(g, 'eps'),
      weightDecay: num(g, 'weight_decay'),
      momentum: num(g, 'momentum'),
      centered: bool(g, 'centered'),
      maximize: bool(g, 'maximize'),
    };
  }

  protected initState(p: tf.Variable, g: ParamGroup): ParamState {
    const s: ParamState = { step: 0, square_avg: zerosState(p) };
    if (num(g, 'momentum') > 0) s.momentum_buffer = zerosState(p);
    if (bool(g, 'centered')) s.grad_avg = zerosState(p);
    return s;
  }

  protected update(p: tf.Variable, grad: tf.Tensor, s: ParamState, h: RMSpropHyper): void {
    countStep(s);
    if (canFuse(FUSED_KERNELS.rmsprop, p, grad)) {
      const squareAvg = s.square_avg as tf.Variable;
      const gradAvg = h.centered ? ((s.grad_avg ??= zerosState(p)) as tf.Variable) : undefined;
      const momentumBuffer = h.momentum > 0 ? ((s.momentum_buffer ??= zerosState(p)) as tf.Variable) : undefined;
      const targets = [p, squareAvg, gradAvg, momentumBuffer].filter((v): v is tf.Variable => v !== undefined);
      fusedUpdate(FUSED_KERNELS.rmsprop, { param: p, grad, squareAvg, gradAvg, momentumBuffer }, h, targets);
      return;
    }
    const g = l2Grad(p, grad, h);
    const squareAvg = s.square_avg as tf.Variable;
    const sq = ema(squareAvg, tf.square(g), h.alpha);
    squareAvg.assign(sq);
    let avg: tf.Tensor;
    if (h.centered) {
      const gradAvg = (s.grad_avg ??= zerosState(p)) as tf.Variable;
      const ga = ema(gradAvg, g, h.alpha);
      gradAvg.assign(ga);
      avg = tf.sqrt(tf.sub(sq, tf.square(ga)));
    } else {
      avg = tf.sqrt(sq);
    }
    avg = tf.add(avg, h.eps);
    if (h.momentum > 0) {
      const buf = (s.momentum_buffer ??= zerosState(p)) as tf.Variable;
      const next = tf.add(tf.mul(buf, h.momentum), tf.div(g, avg));
      buf.assign(next);
      p.assign(tf.sub(p, tf.mul(next, h.lr)));
    } else {
      p.assign(tf.sub(p, tf.mul(tf.div(g, avg), h.lr)));
    }
  }
}
