import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, z } from '@trainkit/core';
import { betasSchema } from '../util/options.js';
import { bool, num, pair } from './hyper.js';
import { type ParamState, ema, l2Grad, shrunk, zerosState } from './optimizer.js';

/**
 * The options Adam, AdamW, NAdam, RAdam and Adamax share, in PyTorch's order; each optimizer
 * adds its own after them (and `maximize` last).
 */
export function adamFamilyShape(lr: number, weightDecay = 0) {
  return {
    lr: z.number().min(0).default(lr),
    betas: betasSchema().default([0.9, 0.999]),
    eps: z.number().min(0).default(1e-8),
    weight_decay: z.number().min(0).default(weightDecay),
  };
}

/** The hyper-parameters every Adam-family update reads. */
export interface AdamFamilyHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export function adamFamilyHyper(g: ParamGroup): AdamFamilyHyper {
  const [beta1, beta2] = pair(g, 'betas');
  return { lr: num(g, 'lr'), beta1, beta2, eps: num(g, 'eps'), weightDecay: num(g, 'weight_decay'), maximize: bool(g, 'maximize') };
}

/** A fresh step count and both moments, zero. */
export function adamState(p: tf.Variable): ParamState {
  return { step: 0, exp_avg: zerosState(p), exp_avg_sq: zerosState(p) };
}

/**
 * The gradient and the weights an Adam-family step works from: weight decay is folded into the
 * gradient as L2 (Adam), or with `decoupled` applied to the weights instead (AdamW).
 */
export function decayed(p: tf.Variable, grad: tf.Tensor, h: AdamFamilyHyper, decoupled: boolean): { g: tf.Tensor; param: tf.Tensor } {
  if (!decoupled) return { g: l2Grad(p, grad, h), param: p };
  return { g: h.maximize ? tf.neg(grad) : grad, param: shrunk(p, h) };
}

/** Moves the running first and second moments (`exp_avg`, `exp_avg_sq`) on by `g`; returns their new values. */
export function updateMoments(s: ParamState, g: tf.Tensor, h: AdamFamilyHyper): [m: tf.Tensor, v: tf.Tensor] {
  const expAvg = s.exp_avg as tf.Variable;
  const expAvgSq = s.exp_avg_sq as tf.Variable;
  const m = ema(expAvg, g, h.beta1);
  const v = ema(expAvgSq, tf.square(g), h.beta2);
  expAvg.assign(m);
  expAvgSq.assign(v);
  return [m, v];
}
