import * as tf from '@tensorflow/tfjs';
import { setupBackend } from '@trainkit/core/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasWebGpuAdapter, useTrainingKernels } from '../src/index.js';

const hasAdapter = await hasWebGpuAdapter();

type Case = {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
};

const CASES: Case[] = [
  { x: [64, 28, 28, 1], filter: [3, 3, 1, 32], strides: 1, pad: 'same' },
  { x: [16, 14, 14, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same' },
  { x: [7, 9, 11, 3], filter: [3, 2, 3, 5], strides: [2, 1], pad: 'valid' },
  { x: [5, 8, 8, 4], filter: [5, 5, 4, 6], strides: 2, pad: 2 },
  { x: [1, 6, 6, 2], filter: [3, 3, 2, 2], strides: 1, pad: 'same' }, // batch 1: tfjs's kernel
];

/** The filter gradient of a convolution on the active backend, read back. */
async function filterGrad(c: Case, x: Float32Array, dy: () => tf.Tensor4D): Promise<Float32Array> {
  const out = tf.tidy(() => {
    const xt = tf.tensor4d(x, c.x);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    return tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dy() }, attrs as never) as tf.Tensor4D;
  });
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}

describe.runIf(hasAdapter)('webgpu training kernels', () => {
  beforeAll(async () => {
    await setupBackend({ backend: 'webgpu' });
  });
  afterAll(async () => {
    useTrainingKernels(true);
    await tf.setBackend('cpu');
  });

  it.each(CASES)('Conv2DBackpropFilter matches the cpu backend: x %j', async (c) => {
    const outShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad).shape) as [
      number,
      number,
      number,
      number,
    ];
    const x = Float32Array.from({ length: tf.util.sizeFromShape(c.x) }, (_, i) => Math.sin(i * 0.37));
    const dyData = Float32Array.from({ length: tf.util.sizeFromShape(outShape) }, (_, i) => Math.cos(i * 0.11));
    const dy = () => tf.tensor4d(dyData, outShape);
    const before = tf.memory().numTensors;
    const ours = await filterGrad(c, x, dy);
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
    const expected = await filterGrad(c, x, dy);
    await tf.setBackend('webgpu');
    const scale = Math.max(...expected.map(Math.abs));
    for (let i = 0; i < expected.length; i++) expect(Math.abs(ours[i] - expected[i]) / scale).toBeLessThan(1e-4);
  });

  it('can be switched back to tfjs kernels', () => {
    expect(useTrainingKernels(false)).toEqual([]);
    expect(useTrainingKernels(true)).toEqual(['Conv2DBackpropFilter']);
  });
});
