import * as tf from '@tensorflow/tfjs';
import type { ParamSchedulerLike, StateDict } from '@trainkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import type { OptimWrapper } from '../src/index.js';
import { buildSchedulers, buildWrapper } from './helpers/fixtures.js';
import { disposeTree, restore, snapshot } from './helpers/snapshot.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic pseudo-random numbers (no dependence on Math.random). */
function numbers(seed: number, n: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const OPTIMIZERS: Array<Record<string, unknown>> = [
  { type: 'SGD', lr: 0.05, momentum: 0.9, nesterov: true, weight_decay: 1e-3 },
  { type: 'Adam', lr: 0.01, amsgrad: true, weight_decay: 1e-2 },
  { type: 'AdamW', lr: 0.01 },
  { type: 'Adamax', lr: 0.01 },
  { type: 'NAdam', lr: 0.01, weight_decay: 1e-3 },
  { type: 'RAdam', lr: 0.01 },
  { type: 'RMSprop', lr: 0.01, momentum: 0.5, centered: true },
  { type: 'Adagrad', lr: 0.1, lr_decay: 0.01, initial_accumulator_value: 0.1 },
  { type: 'Adadelta', lr: 1, weight_decay: 1e-3 },
  { type: 'Lion', lr: 1e-3, weight_decay: 0.1 },
  { type: 'Rprop', lr: 0.01, etas: [0.4, 1.3], step_sizes: [1e-4, 1] },
  { type: 'ASGD', lr: 0.05, lambd: 1e-3, t0: 5, weight_decay: 1e-3 },
];

const LOOP = { epochs: 4, itersPerEpoch: 5 };

/** A run: two parameters in two groups, clipping, accumulation, chained schedulers incl. momentum. */
class Run {
  readonly a: tf.Variable;
  readonly b: tf.Variable;
  readonly wrapper: OptimWrapper;
  readonly schedulers: ParamSchedulerLike[];
  steps = 0;

  constructor(optimizer: Record<string, unknown>) {
    this.a = tf.variable(tf.tensor(numbers(1, 12), [3, 4]), true);
    this.b = tf.variable(tf.tensor(numbers(2, 4), [4]), true);
    this.wrapper = buildWrapper(
      { optimizer, clip_grad: { max_norm: 2 }, accumulative_counts: 2 },
      { 'layer.weight': this.a, 'layer.bias': this.b },
      { bias_lr_mult: 2 },
    );
    const hasMomentum = !['Adagrad', 'Adadelta', 'Rprop', 'ASGD'].includes(optimizer.type as string);
    this.schedulers = buildSchedulers(
      [
        { type: 'LinearLR', start_factor: 0.2, by_epoch: false, end: 6 },
        { type: 'CosineAnnealingLR', T_max: 3, by_epoch: true, begin: 1, end: 4, convert_to_iter_based: true },
        ...(hasMomentum ? [{ type: 'ExponentialMomentum', gamma: 0.99, by_epoch: false, end: 20 }] : []),
        { type: 'ReduceOnPlateauLR', patience: 0, factor: 0.5 },
      ],
      this.wrapper,
      LOOP,
    );
    this.wrapper.initializeCountStatus(undefined, 0, LOOP.epochs * LOOP.itersPerEpoch);
  }

  /** One training iteration: loss 0.5*|w|^2 + <w, c_k>, then the iter-based schedulers. */
  iterate(): void {
    const k = this.steps++;
    const logVars = this.wrapper.updateParams(() => {
      const ca = tf.tensor(numbers(100 + k, 12), [3, 4]);
      const cb = tf.tensor(numbers(200 + k, 4), [4]);
      const loss = tf.addN([tf.mul(tf.sum(tf.square(this.a)), 0.5), tf.sum(tf.mul(this.a, ca)), tf.sum(tf.mul(this.b, cb))]) as tf.Scalar;
      return { loss, logVars: { loss } };
    });
    disposeTree(logVars);
    for (const s of this.schedulers) if (!s.byEpoch) s.step();
    if (this.steps % LOOP.itersPerEpoch === 0) {
      for (const s of this.schedulers) if (s.byEpoch) s.step();
      for (const s of this.schedulers) if (s.needValArgs) s.step({ loss: 1 });
    }
  }

  weights(): Float32Array[] {
    return [this.a.dataSync() as Float32Array, this.b.dataSync() as Float32Array].map((d) => Float32Array.from(d));
  }

  dispose(): void {
    this.wrapper.dispose();
    this.a.dispose();
    this.b.dispose();
  }
}

describe('state dicts round-trip exactly (cpu)', () => {
  for (const optimizer of OPTIMIZERS) {
    it(`${optimizer.type}: 10 steps, save, new optimizer and schedulers, load, 10 more == 20 uninterrupted`, () => {
      const straight = new Run(optimizer);
      for (let i = 0; i < 20; i++) straight.iterate();

      const first = new Run(optimizer);
      for (let i = 0; i < 10; i++) first.iterate();
      const saved = snapshot({
        weights: { a: first.a, b: first.b },
        optimizer: first.wrapper.stateDict(),
        param_schedulers: first.schedulers.map((s) => s.stateDict()),
        steps: first.steps,
      });
      first.dispose();

      const second = new Run(optimizer);
      const loaded = restore<{ weights: Record<string, tf.Tensor>; optimizer: StateDict; param_schedulers: unknown[]; steps: number }>(saved);
      second.a.assign(loaded.weights.a);
      second.b.assign(loaded.weights.b);
      second.wrapper.loadStateDict(loaded.optimizer);
      second.schedulers.forEach((s, i) => {
        s.loadStateDict(loaded.param_schedulers[i] as Record<string, unknown>);
      });
      second.wrapper.initializeCountStatus(undefined, loaded.steps, 20);
      second.steps = loaded.steps;
      disposeTree(loaded);
      for (let i = 0; i < 10; i++) second.iterate();

      expect(second.weights()).toEqual(straight.weights());
      expect(second.wrapper.getLr()).toEqual(straight.wrapper.getLr());
      expect(second.wrapper.getMomentum()).toEqual(straight.wrapper.getMomentum());
      expect(snapshot(second.wrapper.stateDict()).json).toEqual(snapshot(straight.wrapper.stateDict()).json);
      straight.dispose();
      second.dispose();
    });
  }

  it("keeps PyTorch's layout: state by parameter index, groups with their indices and hyper-parameters", () => {
    const run = new Run({ type: 'Adam', lr: 0.01 });
    run.iterate();
    run.iterate();
    const sd = run.wrapper.stateDict() as { state: Record<string, Record<string, unknown>>; param_groups: Array<Record<string, unknown>> };
    expect(Object.keys(sd.state)).toEqual(['0', '1']);
    expect(Object.keys(sd.state['0'])).toEqual(['step', 'exp_avg', 'exp_avg_sq']);
    expect(sd.state['0'].step).toBe(1);
    expect(sd.param_groups.map((g) => g.params)).toEqual([[0], [1]]);
    expect(sd.param_groups[1]).toMatchObject({ eps: 1e-8, amsgrad: false, initial_lr: 0.02, initial_momentum: 0.9 });
    // the momentum scheduler drives betas[0] through the group's momentum key
    expect(sd.param_groups[1].betas).toEqual([sd.param_groups[1].momentum, 0.999]);
    expect(() => run.wrapper.loadStateDict({ ...sd, param_groups: [sd.param_groups[0]] } as unknown as StateDict)).toThrow(
      /1 param group\(s\), the optimizer 2/,
    );
    run.dispose();
  });
});
