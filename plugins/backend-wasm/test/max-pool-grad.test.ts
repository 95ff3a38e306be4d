import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOLERANCE, randomValues, relativeError, wasmReady } from './helpers.js';

beforeAll(wasmReady);

/** Half the inputs are exact zeros, as after a ReLU: windows with tied maxima are the norm. */
function reluLike(size: number, seed: number): Float32Array {
  return randomValues(size, seed).map((v) => Math.max(v, 0));
}

describe('MaxPoolGrad on wasm (replaced by one JS pass) matches the cpu kernel', () => {
  // tfjs-backend-wasm's own kernel starts each window's maximum at FLT_MIN (the smallest positive
  // float), so a window whose maximum is <= 0 sends its gradient to the wrong element, and it
  // gives ties to the last position where the cpu kernel gives them to the first.
  it('routes windows with a maximum <= 0 and tied windows as the cpu kernel does', async () => {
    const xv = Float32Array.from([-1, -2, -3, -4, 0, 0, 5, 5, 1, 2, 3, 4, -5, -6, -7, -8]);
    const grad = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.tensor4d(xv, [1, 4, 4, 1]);
      const weights = tf.tensor4d([1, 10, 100, 1000], [1, 2, 2, 1]);
      const g = tf.grad((a: tf.Tensor) =>
        tf
          .maxPool(a as tf.Tensor4D, 2, 2, 'valid')
          .mul(weights)
          .sum(),
      )(x);
      const out = [...g.dataSync()];
      tf.dispose([x, weights, g]);
      return out;
    };
    const want = await grad('cpu');
    expect(want).toEqual([0, 0, 0, 0, 1, 0, 10, 0, 0, 100, 0, 1000, 0, 0, 0, 0]);
    expect(await grad('wasm')).toEqual(want);
  });

  it.each([
    { filterSize: 2, strides: 2, pad: 'valid' },
    { filterSize: 3, strides: 2, pad: 'same' },
    { filterSize: [3, 2], strides: [1, 2], pad: 'valid' },
    { filterSize: 3, strides: 1, pad: 'same' },
    { filterSize: 2, strides: 3, pad: 1 },
  ] as { filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' | number }[])(
    'filter=$filterSize strides=$strides pad=$pad, ties included',
    async ({ filterSize, strides, pad }) => {
      const xv = reluLike(2 * 9 * 8 * 3, 51);
      const grad = async (backend: string) => {
        await tf.setBackend(backend);
        const x = tf.tensor4d(xv, [2, 9, 8, 3]);
        const g = tf.grad((a: tf.Tensor) =>
          tf
            .maxPool(a as tf.Tensor4D, filterSize, strides, pad)
            .mul(tf.range(1, 2))
            .sum(),
        )(x);
        const out = g.dataSync().slice();
        tf.dispose([x, g]);
        return out;
      };
      const got = await grad('wasm');
      const want = await grad('cpu');
      expect(relativeError(got, want)).toBeLessThan(TOLERANCE);
    },
  );
});
