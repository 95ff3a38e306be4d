import * as tf from '@tensorflow/tfjs';
import { OPTIMIZERS } from '@trainkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import type { Optimizer, ParamGroupInput } from '../src/index.js';
import { referenceCases, worstMismatch } from './helpers/reference.js';

interface OptimizerCase {
  optimizer: { type: string; [k: string]: unknown };
  param_groups: Array<{ params: string[]; [k: string]: unknown }>;
  params: Record<string, { shape: number[]; data: number[] }>;
  grads: Array<Record<string, number[]>>;
  expected: Array<Record<string, number[]>>;
  /** Optional: optimizer state after each step, by parameter and state name (e.g. ASGD's `ax`). */
  expected_state?: Array<Record<string, Record<string, number[]>>>;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('optimizers against PyTorch trajectories (reference/optimizers)', () => {
  for (const { name, data } of referenceCases<OptimizerCase>('optimizers')) {
    it(`${name}: ${JSON.stringify(data.optimizer)}`, () => {
      const vars = new Map<string, tf.Variable>();
      for (const [n, p] of Object.entries(data.params)) vars.set(n, tf.variable(tf.tensor(p.data, p.shape, 'float32'), true, `ref_${name}_${n}`));
      const groups: ParamGroupInput[] = data.param_groups.map(({ params, ...over }) => ({ ...over, params: params.map((n) => vars.get(n)!) }));
      const optimizer = OPTIMIZERS.build<Optimizer>(data.optimizer, { params: groups }, 'optimizer');
      try {
        data.grads.forEach((grads, k) => {
          const map = new Map<tf.Variable, tf.Tensor>();
          for (const [n, g] of Object.entries(grads)) map.set(vars.get(n)!, tf.tensor(g, vars.get(n)!.shape, 'float32'));
          optimizer.step(map);
          for (const g of map.values()) g.dispose();
          for (const [n, want] of Object.entries(data.expected[k])) {
            const bad = worstMismatch(vars.get(n)!.dataSync(), want, 1e-5, 1e-6);
            expect(bad, `step ${k + 1}, ${n}`).toBeUndefined();
          }
          for (const [n, states] of Object.entries(data.expected_state?.[k] ?? {})) {
            for (const [key, want] of Object.entries(states)) {
              const value = optimizer.state.get(vars.get(n)!)?.[key] as tf.Tensor | undefined;
              expect(value, `step ${k + 1}, state ${key} of ${n}`).toBeInstanceOf(tf.Tensor);
              expect(worstMismatch(value!.dataSync(), want, 1e-5, 1e-6), `step ${k + 1}, state ${key} of ${n}`).toBeUndefined();
            }
          }
        });
      } finally {
        optimizer.dispose();
        for (const v of vars.values()) v.dispose();
      }
    });
  }
});
