import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import type { OptimWrapper } from '../src/index.js';
import { buildSchedulers, buildWrapper, simulate, variable } from './helpers/fixtures.js';
import { referenceCases, worstMismatch } from './helpers/reference.js';

interface SchedulerCase {
  optimizer: Record<string, unknown>;
  param_scheduler: Array<Record<string, unknown>>;
  epochs: number;
  iters_per_epoch: number;
  expected: Record<string, number[]>;
}

const disposables: Array<{ dispose(): void }> = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => {
  for (const d of disposables) d.dispose();
});

describe('schedulers against MMEngine value sequences (reference/schedulers)', () => {
  for (const { name, data } of referenceCases<SchedulerCase>('schedulers')) {
    it(`${name}: ${data.param_scheduler.map((s) => s.type).join(' + ')}`, () => {
      const w = variable([1, 2]);
      const wrapper: OptimWrapper = buildWrapper({ optimizer: data.optimizer }, [w]);
      disposables.push(wrapper, w);
      const loop = { epochs: data.epochs, itersPerEpoch: data.iters_per_epoch };
      const schedulers = buildSchedulers(data.param_scheduler, wrapper, loop);
      const seen: Record<string, number[]> = {};
      for (const key of Object.keys(data.expected)) seen[key] = [];
      simulate(schedulers, loop, () => {
        const group = wrapper.paramGroups[0];
        for (const key of Object.keys(data.expected)) seen[key].push(group[key] as number);
      });
      for (const [key, want] of Object.entries(data.expected)) {
        const bad = worstMismatch(seen[key], want, 1e-9, 1e-12);
        expect(bad, `${key}: ${JSON.stringify(seen[key])}`).toBeUndefined();
      }
    });
  }
});
