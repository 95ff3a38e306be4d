import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUSED_KERNELS } from '@trainkit/core/backend';
import { setupWasmBackend, wasmBackendInfo } from '../src/index.js';
import { Worker } from 'node:worker_threads';
import { LazyPoolWorker } from '../src/lazy-pool-worker.js';
import { optimizerLoops, setSimdLoopsEnabled } from '../src/kernels/simd/optimizer-loops.js';
import { TOLERANCE, host, relativeError, runKernelOn } from './helpers.js';

// vitest runs each test file in its own process, so this file starts the backend itself.
const wanted = Math.min(2, os.availableParallelism());

beforeAll(() => setupWasmBackend({ num_threads: 2 }));

describe('num_threads > 1: the threaded build on worker_threads', () => {
  it('runs XNNPACK on the requested threads (capped at the machine’s cores)', () => {
    expect(wasmBackendInfo()?.threads).toBe(wanted);
  });

  it('starts only the worker threads XNNPACK runs, not the whole pool of 8', () => {
    const backend = tf.engine().registry.wasm as unknown as { wasm: { PThread: { runningWorkers: LazyPoolWorker[]; unusedWorkers: LazyPoolWorker[] } } };
    const { runningWorkers, unusedWorkers } = backend.wasm.PThread;
    expect(runningWorkers.length + unusedWorkers.length).toBe(8);
    // the main thread is one of XNNPACK's threads
    expect(runningWorkers.filter((w) => w.started)).toHaveLength(wanted - 1);
    expect(unusedWorkers.every((w) => w instanceof LazyPoolWorker && !w.started)).toBe(true);
    // the module's own assignment of the global Worker is kept once it has started
    expect((globalThis as { Worker?: unknown }).Worker).toBe(Worker);
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

  it('runs the fused optimizer loops on the shared heap of the threaded build', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as never;
    expect(optimizerLoops(backend)).toBeDefined();
    const step = (simd: boolean) => {
      setSimdLoopsEnabled(simd);
      return tf.tidy(() => {
        const p = tf.linspace(-1, 1, 1030);
        const g = tf.cos(p);
        const attrs = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0.01, maximize: false };
        return (tf.engine().runKernel(FUSED_KERNELS.sgd, { param: p, grad: g, momentumBuffer: g }, attrs) as tf.Tensor[]).map((t) => t.dataSync());
      });
    };
    try {
      const [simd, js] = [step(true), step(false)];
      expect(relativeError(simd[0], js[0])).toBeLessThan(1e-6);
      expect(relativeError(simd[1], js[1])).toBeLessThan(1e-6);
    } finally {
      setSimdLoopsEnabled(true);
    }
  });
});
