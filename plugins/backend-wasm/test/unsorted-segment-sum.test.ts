import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOLERANCE, host, randomValues, relativeError, runKernelOn, wasmReady } from './helpers.js';

beforeAll(wasmReady);

describe('UnsortedSegmentSum on wasm matches the cpu kernel', () => {
  const ids = (values: number[]) => ({ shape: [values.length], values: Int32Array.from(values), dtype: 'int32' as const });

  it.each([
    { name: 'rows of a matrix', x: [6, 5], ids: [0, 2, 2, 1, 0, 3], numSegments: 4 },
    { name: 'a vector, empty segments', x: [5], ids: [4, 4, 0, 4, 1], numSegments: 7 },
    { name: 'rank-3 rows', x: [4, 2, 3], ids: [1, 0, 1, 1], numSegments: 2 },
    { name: 'ids out of range are dropped', x: [5, 3], ids: [0, -1, 2, 9, 2], numSegments: 3 },
  ])('$name', async (c) => {
    const inputs = { x: host(c.x, 31), segmentIds: ids(c.ids) };
    const got = await runKernelOn('wasm', 'UnsortedSegmentSum', inputs, { numSegments: c.numSegments });
    const want = await runKernelOn('cpu', 'UnsortedSegmentSum', inputs, { numSegments: c.numSegments });
    expect(got.shape).toEqual(want.shape);
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
  });

  it('keeps int32 values int32', async () => {
    const inputs = { x: { shape: [4, 2], values: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), dtype: 'int32' as const }, segmentIds: ids([1, 1, 0, 1]) };
    const got = await runKernelOn('wasm', 'UnsortedSegmentSum', inputs, { numSegments: 2 });
    expect(got.dtype).toBe('int32');
    expect([...got.values]).toEqual([5, 6, 1 + 3 + 7, 2 + 4 + 8]);
  });
});

describe('Embedding training needs UnsortedSegmentSum: the gradient of tf.gather on wasm', () => {
  it.each([0, 1])('axis %i matches cpu', async (axis) => {
    const table = randomValues(7 * 4, 32);
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      const t = tf.tensor2d(table, [7, 4]);
      const idx = tf.tensor1d(axis === 0 ? [3, 0, 3, 6, 1] : [2, 2, 0], 'int32');
      const g = tf.grad((a: tf.Tensor) => tf.gather(a, idx, axis).square().sum())(t);
      const out = g.dataSync().slice();
      tf.dispose([t, idx, g]);
      return out;
    };
    expect(relativeError(await grads('wasm'), await grads('cpu'))).toBeLessThan(TOLERANCE);
  });
});
