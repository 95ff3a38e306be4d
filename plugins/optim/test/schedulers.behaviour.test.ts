import * as tf from '@tensorflow/tfjs';
import { PARAM_SCHEDULERS, type ParamSchedulerLike, getLogger } from '@trainkit/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { INF, type OptimWrapper, type ParamScheduler, ParamSchedulerHook } from '../src/index.js';
import { buildWrapper, variable } from './helpers/fixtures.js';

const cleanup: Array<{ dispose(): void }> = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  for (const d of cleanup.splice(0)) d.dispose();
});

function wrapperFor(optimizer: Record<string, unknown>, paramwise?: Record<string, unknown>, n = 1): OptimWrapper {
  const vars = Array.from({ length: n }, (_, i) => variable([i + 1]));
  const w = buildWrapper({ optimizer }, Object.fromEntries(vars.map((v, i) => [`layer${i}.weight`, v])), paramwise);
  cleanup.push(w, ...vars);
  return w;
}

function build<T = ParamScheduler>(cfg: Record<string, unknown>, wrapper: unknown, epochLength = 5): T {
  return PARAM_SCHEDULERS.build<T>(cfg, { optimizer: wrapper, epoch_length: epochLength }, 'param_scheduler.0');
}

describe('momentum schedulers', () => {
  it('schedule SGD momentum directly', () => {
    const w = wrapperFor({ type: 'SGD', lr: 0.1, momentum: 0.9 });
    build({ type: 'LinearMomentum', start_factor: 0.5, end: 3 }, w);
    expect(w.getMomentum().momentum[0]).toBeCloseTo(0.45, 12);
  });

  it('drive betas[0] of Adam-style optimizers through a momentum key', () => {
    const w = wrapperFor({ type: 'Adam', lr: 0.1, betas: [0.9, 0.99] });
    const s = build({ type: 'StepMomentum', step_size: 1, gamma: 0.5 }, w);
    expect(w.optimizer.paramGroups[0].betas).toEqual([0.9, 0.99]);
    s.step();
    expect(w.optimizer.paramGroups[0].momentum).toBeCloseTo(0.45, 12);
    expect(w.optimizer.paramGroups[0].betas).toEqual([0.45, 0.99]);
    expect(w.getMomentum()).toEqual({ momentum: [0.45] });
  });

  it('refuse optimizers without momentum or betas, with the fix', () => {
    const w = wrapperFor({ type: 'Adagrad', lr: 0.1 });
    expect(() => build({ type: 'CosineAnnealingMomentum', T_max: 4 }, w)).toThrow(/must support momentum when using momentum scheduler[\s\S]*fix:/);
  });
});

describe('generic parameter schedulers', () => {
  it('schedule any numeric group key named by param_name', () => {
    const w = wrapperFor({ type: 'SGD', lr: 0.1, weight_decay: 0.01 });
    const s = build({ type: 'LinearParamScheduler', param_name: 'weight_decay', start_factor: 0.5, end: 3 }, w);
    expect(w.optimizer.paramGroups[0].weight_decay).toBeCloseTo(0.005, 15);
    s.step();
    s.step();
    expect(w.optimizer.paramGroups[0].weight_decay).toBeCloseTo(0.01, 15);
    expect(w.optimizer.paramGroups[0].initial_weight_decay).toBe(0.01);
  });

  it('name the keys that exist when param_name is not one of them', () => {
    const w = wrapperFor({ type: 'SGD', lr: 0.1 });
    expect(() => build({ type: 'ExponentialParamScheduler', param_name: 'lr_mult', gamma: 0.5 }, w)).toThrow(/no "lr_mult" to schedule[\s\S]*lr, momentum/);
  });

  it('OneCycle only schedules the learning rate', () => {
    const w = wrapperFor({ type: 'SGD', lr: 0.1 });
    expect(() => build({ type: 'OneCycleParamScheduler', param_name: 'momentum', eta_max: 1 }, w)).toThrow(/param_scheduler\.0\.param_name/);
  });
});

describe('the base group of a multi-group wrapper', () => {
  it('is scheduled too and reported as base_lr', () => {
    const w = wrapperFor({ type: 'SGD', lr: 1, weight_decay: 1e-4 }, { custom_keys: { layer1: { lr_mult: 0.1 } } }, 2);
    expect(w.paramGroups).toHaveLength(3);
    build({ type: 'ConstantLR', factor: 0.5, end: 3 }, w);
    expect(w.getLr()).toEqual({ base_lr: [0.5], lr: [0.5, 0.05] });
    expect(Object.keys(w.getLr())).toEqual(['base_lr', 'lr']);
  });

  it('gets its own OneCycle eta_max and ReduceOnPlateau min_value', () => {
    const w = wrapperFor({ type: 'SGD', lr: 1, weight_decay: 1e-4 }, { custom_keys: { layer1: { lr_mult: 0.1 } } }, 2);
    expect(() => build({ type: 'OneCycleLR', eta_max: [1, 2], total_steps: 10 }, w)).toThrow(/eta_max has 2 values for 3 param groups/);
    const p = build({ type: 'ReduceOnPlateauLR', min_value: [0.3, 0.04], patience: 0, factor: 0.5 }, w);
    for (let k = 0; k < 4; k++) p.step({ loss: 1 });
    // as in MMEngine, the base group takes the last real group's floor
    expect(w.getLr()).toEqual({ base_lr: [0.125], lr: [0.3, 0.04] });
  });
});

describe('scheduler state', () => {
  it('round-trips through JSON, infinite values included', () => {
    const w = wrapperFor({ type: 'SGD', lr: 1 });
    const a = build({ type: 'ReduceOnPlateauLR', patience: 0 }, w);
    const saved = JSON.parse(JSON.stringify(a.stateDict()));
    expect(saved.best).toBe('inf');
    expect(saved.end).toBe(INF);
    a.step({ loss: 3 });
    const b = build({ type: 'ReduceOnPlateauLR', patience: 0 }, w);
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    expect((b as unknown as { best: number }).best).toBe(3);
    b.loadStateDict(saved);
    expect((b as unknown as { best: number }).best).toBe(Number.POSITIVE_INFINITY);
  });

  it('restores the position of a chained schedule', () => {
    const cfgs = [
      { type: 'LinearLR', start_factor: 0.1, end: 3 },
      { type: 'CosineAnnealingLR', begin: 3, end: 10, T_max: 7 },
    ];
    const w1 = wrapperFor({ type: 'SGD', lr: 1 });
    const s1 = cfgs.map((c) => build<ParamSchedulerLike>(c, w1));
    for (let k = 0; k < 5; k++) for (const s of s1) s.step();
    const optimState = JSON.parse(JSON.stringify(w1.stateDict()));
    const schedState = JSON.parse(JSON.stringify(s1.map((s) => s.stateDict())));
    for (let k = 0; k < 4; k++) for (const s of s1) s.step();

    const w2 = wrapperFor({ type: 'SGD', lr: 1 });
    const s2 = cfgs.map((c) => build<ParamSchedulerLike>(c, w2));
    w2.loadStateDict(optimState);
    s2.forEach((s, i) => {
      s.loadStateDict(schedState[i]);
    });
    for (let k = 0; k < 4; k++) for (const s of s2) s.step();
    expect(w2.getLr()).toEqual(w1.getLr());
  });
});

describe('verbose', () => {
  it('logs every change as MMEngine does', () => {
    const lines: string[] = [];
    const logger = getLogger();
    const prev = logger.setConsole((l) => lines.push(l));
    try {
      const w = wrapperFor({ type: 'SGD', lr: 1 });
      build({ type: 'ConstantLR', factor: 0.5, end: 3, verbose: true }, w);
    } finally {
      logger.setConsole(prev);
    }
    expect(lines.some((l) => l.endsWith('Adjusting parameter value of group 0 to 5.0000e-01.'))).toBe(true);
  });
});

describe('ParamSchedulerHook', () => {
  it('has priority LOW and steps a dict of lists per optimizer', () => {
    const hook = new ParamSchedulerHook();
    expect(hook.priority).toBe('LOW');
    const w = wrapperFor({ type: 'SGD', lr: 1 });
    const byIter = build({ type: 'ExponentialLR', gamma: 0.5, by_epoch: false }, w);
    const runner = { paramSchedulers: { gen: [byIter] } } as never;
    hook.afterTrainIter(runner);
    hook.afterTrainEpoch(runner);
    expect(w.getLr().lr[0]).toBe(0.5);
    expect(() => hook.afterTrainIter({ paramSchedulers: 3 } as never)).toThrow(/list or a dict of lists/);
    hook.afterTrainIter({ paramSchedulers: undefined } as never);
  });
});
