import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupWasmBackend, wasmBackendInfo } from '../src/index.js';
import { TOLERANCE, host, relativeError, runKernelOn } from './helpers.js';

// vitest runs each test file in its own process, so this file starts the backend itself.
const wanted = Math.min(2, os.availableParallelism());

beforeAll(() => setupWasmBackend({ num_threads: 2 }));

describe('num_threads > 1: the threaded build on worker_threads', () => {
  it('runs XNNPACK on the requested threads (capped at the machine’s cores)', () => {
    expect(wasmBackendInfo()?.threads).toBe(wanted);
  });

  it('gives the same training kernels’ results as the cpu backend', async () => {
    const inputs = { x: host([4, 12, 12, 8], 71), dy: host([4, 10, 10, 16], 72) };
    const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 8, 16] };
    const got = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    const want = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
    await tf.setBackend('wasm');
    const y = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]));
    expect(y.dataSync()[0]).toBe(64);
    y.dispose();
  });
});
