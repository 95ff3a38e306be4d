import * as tf from '@tensorflow/tfjs';
import { MODELS } from '@trainkit/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BaseAveragedModel, ExponentialMovingAverage, MomentumAnnealingEMA, StochasticWeightAverage } from '../src/index.js';
import { ScalarModel, scalarOf } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const made: Array<{ dispose(): void }> = [];
afterEach(() => {
  for (const m of made.splice(0)) m.dispose();
});

function model(): ScalarModel {
  const m = new ScalarModel();
  made.push(m);
  return m;
}

/** Feeds `sources` one per update and returns the averaged `w` after each. */
function run(avg: BaseAveragedModel, m: ScalarModel, sources: number[]): number[] {
  made.push(avg);
  return sources.map((s) => {
    m.set(s);
    avg.updateParameters(m);
    return scalarOf(avg.module.get('w'));
  });
}

/**
 * The average after feeding s_1..s_N when the k-th update (k = 0..N-1) weighs the new value w_k
 * (w_0 = 1, the copy): sum_k s_k * w_k * prod_{j > k} (1 - w_j). Non-recursive, so it checks the
 * implementation's recursion independently.
 */
function closedForm(sources: number[], weight: (k: number) => number): number {
  let total = 0;
  for (let k = 0; k < sources.length; k++) {
    let keep = k === 0 ? 1 : weight(k);
    for (let j = k + 1; j < sources.length; j++) keep *= 1 - weight(j);
    total += sources[k] * keep;
  }
  return total;
}

describe('averaged models (spec seed 36)', () => {
  it('ExponentialMovingAverage(momentum=0.5) over 1..4 gives 1, 1.5, 2.25, 3.125 and steps 4', () => {
    const m = model();
    const ema = new ExponentialMovingAverage({ model: m, momentum: 0.5 });
    expect(run(ema, m, [1, 2, 3, 4])).toEqual([1, 1.5, 2.25, 3.125]);
    expect(ema.steps).toBe(4);
    expect(scalarOf(ema.stateDict().steps)).toBe(4);
  });

  it('interval=2 averages every second update: 1, 1, 2, 2, 3.5', () => {
    const m = model();
    expect(run(new ExponentialMovingAverage({ model: m, momentum: 0.5, interval: 2 }), m, [1, 2, 3, 4, 5])).toEqual([1, 1, 2, 2, 3.5]);
  });

  it('MomentumAnnealingEMA(momentum=0.01, gamma=1) over 1..4 gives 1, 1.5, 2, 2.5', () => {
    const m = model();
    expect(run(new MomentumAnnealingEMA({ model: m, momentum: 0.01, gamma: 1 }), m, [1, 2, 3, 4])).toEqual([1, 1.5, 2, 2.5]);
  });

  it('StochasticWeightAverage over 1..4 gives 1, 1.5, 2, 2.5', () => {
    const m = model();
    expect(run(new StochasticWeightAverage({ model: m }), m, [1, 2, 3, 4])).toEqual([1, 1.5, 2, 2.5]);
  });
});

describe('averaged models against closed forms over 40 updates', () => {
  const sources = Array.from({ length: 40 }, (_, k) => Math.sin(k) * 3 + k / 10);

  it('ExponentialMovingAverage: geometric weights', () => {
    const m = model();
    const got = run(new ExponentialMovingAverage({ model: m, momentum: 0.1 }), m, sources).at(-1)!;
    expect(got).toBeCloseTo(
      closedForm(sources, () => 0.1),
      5,
    );
  });

  it('MomentumAnnealingEMA: max(momentum, gamma / (gamma + k)) crossing over to momentum', () => {
    const m = model();
    const got = run(new MomentumAnnealingEMA({ model: m, momentum: 0.2, gamma: 4 }), m, sources).at(-1)!;
    expect(got).toBeCloseTo(
      closedForm(sources, (k) => Math.max(0.2, 4 / (4 + k))),
      5,
    );
  });

  it('StochasticWeightAverage with interval 3: the mean of the sources at updates 0, 3, 6, ...', () => {
    const m = model();
    const got = run(new StochasticWeightAverage({ model: m, interval: 3 }), m, sources).at(-1)!;
    const picked = sources.filter((_, k) => k % 3 === 0);
    expect(got).toBeCloseTo(picked.reduce((a, b) => a + b, 0) / picked.length, 5);
  });
});

describe('BaseAveragedModel', () => {
  it('copies buffers at every update unless update_buffers, which averages them too', () => {
    const m = model();
    const plain = new ExponentialMovingAverage({ model: m, momentum: 0.5 });
    const withBuffers = new ExponentialMovingAverage({ model: m, momentum: 0.5, update_buffers: true });
    made.push(plain, withBuffers);
    for (const s of [1, 3]) {
      m.set(s, s * 10);
      plain.updateParameters(m);
      withBuffers.updateParameters(m);
    }
    expect(scalarOf(plain.module.get('bn.mean'))).toBe(30);
    expect(scalarOf(withBuffers.module.get('bn.mean'))).toBe(20);
    expect(scalarOf(plain.module.get('w'))).toBe(2);
  });

  it('holds its state as {steps, module.<name>} and loads it back (strict fails on unknown keys)', () => {
    const m = model();
    const ema = new ExponentialMovingAverage({ model: m, momentum: 0.5 });
    run(ema, m, [1, 2, 3]);
    const sd = ema.stateDict();
    expect(Object.keys(sd).sort()).toEqual(['module.bn.mean', 'module.w', 'steps']);
    const copy = new ExponentialMovingAverage({ model: m, momentum: 0.5 });
    made.push(copy);
    expect(copy.loadStateDict(sd)).toEqual({ missing: [], unexpected: [] });
    expect(copy.steps).toBe(3);
    expect(scalarOf(copy.module.get('w'))).toBe(2.25);
    expect(() => copy.loadStateDict({ ...sd, 'module.extra': tf.scalar(1) }, true)).toThrow(/unexpected keys: extra/);
    expect(copy.loadStateDict({ steps: 7 }).missing).toEqual(['w', 'bn.mean']);
  });

  it('swaps values with the model without allocating', () => {
    const m = model();
    const ema = new ExponentialMovingAverage({ model: m, momentum: 0.5 });
    run(ema, m, [1, 2]);
    const before = tf.memory().numTensors;
    ema.swapWith(m);
    expect(scalarOf(m.w)).toBe(1.5);
    expect(scalarOf(ema.module.get('w'))).toBe(2);
    ema.swapWith(m);
    expect(scalarOf(m.w)).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps tf.memory() flat over 200 updates', () => {
    const m = model();
    const ema = new MomentumAnnealingEMA({ model: m, momentum: 0.01 });
    made.push(ema);
    m.set(1);
    ema.updateParameters(m);
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    for (let i = 0; i < 200; i++) {
      m.set(i);
      ema.updateParameters(m);
    }
    ema.stateDict();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.memory().numBytes).toBe(bytes);
  });

  it('is built from MODELS with the model as a default argument and validates its options', () => {
    const m = model();
    const ema = MODELS.build<ExponentialMovingAverage>({ type: 'ExponentialMovingAverage', momentum: 0.25 }, { model: m }, 'ema');
    made.push(ema);
    expect(ema.momentum).toBe(0.25);
    expect(() => MODELS.build({ type: 'ExponentialMovingAverage', momentum: 1 }, { model: m }, 'ema')).toThrow(/ema\.momentum/);
    expect(() => MODELS.build({ type: 'StochasticWeightAverage', gamma: 1 }, { model: m }, 'ema')).toThrow(/unknown option "gamma"/);
    expect(() => new ExponentialMovingAverage({} as never)).toThrow(/needs the model/);
  });
});
