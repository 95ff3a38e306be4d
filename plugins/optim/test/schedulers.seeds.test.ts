import * as tf from '@tensorflow/tfjs';
import { PARAM_SCHEDULERS } from '@trainkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { type CosineAnnealingLR, INF, type MultiStepLR, type OptimWrapper, type ParamScheduler } from '../src/index.js';
import { buildWrapper, variable } from './helpers/fixtures.js';
import { expectClose, lrSequence } from './helpers/sequence.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('MMEngine scheduler seeds (spec 14: 25-34)', () => {
  it('25 LinearLR', () => {
    expectClose(lrSequence([{ type: 'LinearLR', start_factor: 0.25, end: 4 }], 6), [0.25, 0.5, 0.75, 1, 1, 1]);
    expectClose(lrSequence([{ type: 'LinearLR', start_factor: 0.25, end_factor: 0.5, begin: 2, end: 6 }], 7), [1, 1, 0.25, 0.333333, 0.416667, 0.5, 0.5]);
  });

  it('26 ConstantLR keeps the factor for end - begin - 1 steps', () => {
    expectClose(lrSequence([{ type: 'ConstantLR', factor: 0.5, end: 3 }], 4), [0.5, 0.5, 1, 1]);
    expectClose(lrSequence([{ type: 'ConstantLR', factor: 0.5, begin: 2, end: 5 }], 5), [1, 1, 0.5, 0.5, 1]);
  });

  it('27 StepLR, MultiStepLR, ExponentialLR', () => {
    expectClose(lrSequence([{ type: 'StepLR', step_size: 3, gamma: 0.5 }], 7), [1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
    expectClose(lrSequence([{ type: 'StepLR', step_size: 3, gamma: 0.5, begin: 2 }], 9), [1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
    expectClose(lrSequence([{ type: 'MultiStepLR', milestones: [2, 5, 5], gamma: 0.1 }], 7), [1, 1, 0.1, 0.1, 0.1, 0.001, 0.001]);
    expectClose(lrSequence([{ type: 'ExponentialLR', gamma: 0.5, end: 3 }], 5), [1, 0.5, 0.25, 0.25, 0.25]);
  });

  it('28 CosineAnnealingLR: periodic with T_max, default T_max never reaches eta_min, eta_min_ratio', () => {
    expectClose(lrSequence([{ type: 'CosineAnnealingLR', T_max: 4, eta_min: 0 }], 9), [1, 0.853553, 0.5, 0.146447, 0, 0.146447, 0.5, 0.853553, 1]);
    expectClose(lrSequence([{ type: 'CosineAnnealingLR', begin: 0, end: 5 }], 7), [1, 0.904508, 0.654508, 0.345492, 0.095492, 0.095492, 0.095492]);
    expectClose(lrSequence([{ type: 'CosineAnnealingLR', eta_min_ratio: 0.1, end: 5 }], 5), [1, 0.914058, 0.689058, 0.410942, 0.185942]);
  });

  it('29 PolyLR', () => {
    expectClose(lrSequence([{ type: 'PolyLR', power: 1, end: 5 }], 6), [1, 0.75, 0.5, 0.25, 0, 0]);
    expectClose(lrSequence([{ type: 'PolyLR', power: 2, eta_min: 0.1, end: 5 }], 5), [1, 0.60625, 0.325, 0.15625, 0.1]);
  });

  it('30 OneCycleLR, cosine and linear three-phase', () => {
    expectClose(
      lrSequence([{ type: 'OneCycleLR', eta_max: 1, total_steps: 10 }], 10),
      [0.04, 0.52, 1.0, 0.950485, 0.811746, 0.611262, 0.388742, 0.188258, 0.049519, 0.000004],
    );
    expectClose(
      lrSequence([{ type: 'OneCycleLR', eta_max: 1, total_steps: 10, anneal_strategy: 'linear', three_phase: true }], 10),
      [0.04, 0.52, 1.0, 0.52, 0.04, 0.032001, 0.024002, 0.016002, 0.008003, 0.000004],
    );
    expect(() => lrSequence([{ type: 'OneCycleLR', eta_max: 1, total_steps: 10 }], 13)).toThrow(
      /Tried to step 12 times\. The specified number of total steps is 10/,
    );
  });

  it('31 CosineRestartLR', () => {
    expectClose(
      lrSequence([{ type: 'CosineRestartLR', periods: [4, 4], restart_weights: [1, 0.5], eta_min: 0 }], 10),
      [1, 0.853553, 0.5, 0.146447, 0.5, 0.426777, 0.25, 0.073223, 0.073223, 0.073223],
    );
  });

  it('32 chaining multiplies the effects of schedulers on one key', () => {
    expectClose(
      lrSequence(
        [
          { type: 'LinearLR', start_factor: 0.5, end: 4 },
          { type: 'MultiStepLR', milestones: [2], gamma: 0.1 },
        ],
        5,
      ),
      [0.5, 0.666667, 0.083333, 0.1, 0.1],
    );
    expectClose(
      lrSequence(
        [
          { type: 'LinearLR', start_factor: 0.1, end: 3 },
          { type: 'CosineAnnealingLR', begin: 3, end: 10, T_max: 7 },
        ],
        11,
      ),
      [0.1, 0.55, 1.0, 1.0, 0.950484, 0.811745, 0.61126, 0.38874, 0.188255, 0.049516, 0.049516],
    );
  });

  it('33 ReduceOnPlateauLR counts epochs with plain steps and acts on metrics', () => {
    const w = variable([1]);
    const wrapper: OptimWrapper = buildWrapper({ optimizer: { type: 'SGD', lr: 1 } }, [w]);
    const s = PARAM_SCHEDULERS.build<ParamScheduler>(
      { type: 'ReduceOnPlateauLR', patience: 1, factor: 0.5, cooldown: 1, min_value: 0.2 },
      { optimizer: wrapper, epoch_length: 5 },
      'param_scheduler',
    );
    expect(s.needValArgs).toBe(true);
    const lrs: number[] = [];
    for (const m of [1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5]) {
      s.step();
      s.step({ loss: m });
      lrs.push(wrapper.getLr().lr[0]);
    }
    expectClose(lrs, [1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]);
    // min_value floors the value, and eps keeps a change smaller than it from happening
    for (let k = 0; k < 10; k++) {
      s.step();
      s.step({ loss: 1 });
    }
    expect(wrapper.getLr().lr[0]).toBe(0.2);
    expect(() => s.step({ acc: 1 })).toThrow(/no "loss".*acc/);
    wrapper.dispose();
    w.dispose();
  });

  it('34 convert_to_iter_based scales begin, end and the period arguments by the epoch length', () => {
    const w = variable([1]);
    const wrapper: OptimWrapper = buildWrapper({ optimizer: { type: 'SGD', lr: 1 } }, [w]);
    const ms = PARAM_SCHEDULERS.build<MultiStepLR>(
      { type: 'MultiStepLR', milestones: [1, 2], begin: 0, end: 3, convert_to_iter_based: true },
      { optimizer: wrapper, epoch_length: 4 },
      'param_scheduler.0',
    );
    expect([ms.byEpoch, ms.begin, ms.end, ms.milestones]).toEqual([false, 0, 12, [4, 8]]);
    const cos = PARAM_SCHEDULERS.build<CosineAnnealingLR>(
      { type: 'CosineAnnealingLR', T_max: 2, begin: 1, end: 3, convert_to_iter_based: true },
      { optimizer: wrapper, epoch_length: 4 },
      'param_scheduler.1',
    );
    expect([cos.byEpoch, cos.begin, cos.end, cos.T_max]).toEqual([false, 4, 12, 8]);
    const open = PARAM_SCHEDULERS.build<ParamScheduler>(
      { type: 'ExponentialLR', gamma: 0.9, convert_to_iter_based: true },
      { optimizer: wrapper, epoch_length: 4 },
      'param_scheduler.2',
    );
    expect(open.end).toBe(INF);
    wrapper.dispose();
    w.dispose();
  });
});
