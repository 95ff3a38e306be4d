import * as tf from '@tensorflow/tfjs';
import type { VisBackend } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import { runToy } from './helpers.js';

interface Recorded {
  name: string;
  values: number[];
  step: number;
}

/** A backend that keeps a copy of every histogram it is given. */
function histogramKeeper(): { backend: VisBackend; seen: Recorded[] } {
  const seen: Recorded[] = [];
  return { seen, backend: { name: 'keeper', addHistogram: (name, values, step) => void seen.push({ name, values: Array.from(values), step }) } };
}

describe('LoggerHook histogram_interval', () => {
  it('sends parameter and gradient histograms every N iterations; the gradients are the ones SGD applied', async () => {
    const { backend, seen } = histogramKeeper();
    const tensorsBefore = tf.memory().numTensors;
    const out = await runToy({ logger: { histogram_interval: 1 }, overrides: { visualizer: { vis_backends: [backend] } } });
    const names = out.runner.model.namedParameters().map(([n]) => n);
    expect(names.length).toBeGreaterThan(0);
    // 10 iterations, one histogram per parameter and per gradient each
    expect(seen).toHaveLength(10 * 2 * names.length);
    for (const name of names) {
      const params = seen.filter((s) => s.name === `parameters/${name}`);
      const grads = seen.filter((s) => s.name === `gradients/${name}`);
      expect(params.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(grads.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // plain SGD with lr 0.1: p(k) = p(k-1) - 0.1 * g(k)
      for (let k = 1; k < 10; k++) {
        const expected = params[k - 1].values.map((p, i) => p - 0.1 * grads[k].values[i]);
        for (let i = 0; i < expected.length; i++) expect(params[k].values[i]).toBeCloseTo(expected[i], 5);
      }
    }
    expect(tf.memory().numTensors).toBeLessThanOrEqual(tensorsBefore);
    // the optimizer wrapper is left without an observer once the run ends
    expect(out.runner.optimWrapper?.onGradients).toBeUndefined();
  });

  it('follows the interval, and is off by default', async () => {
    const every3 = histogramKeeper();
    await runToy({ logger: { histogram_interval: 3 }, overrides: { visualizer: { vis_backends: [every3.backend] } } });
    expect([...new Set(every3.seen.map((s) => s.step))]).toEqual([3, 6, 9]);
    const off = histogramKeeper();
    await runToy({ overrides: { visualizer: { vis_backends: [off.backend] } } });
    expect(off.seen).toEqual([]);
  });

  it('refuses an interval that is not a positive integer', async () => {
    await expect(runToy({ logger: { histogram_interval: 0 } })).rejects.toThrow(/default_hooks\.logger\.histogram_interval/);
  });
});
