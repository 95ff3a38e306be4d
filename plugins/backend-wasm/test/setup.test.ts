import * as tf from '@tensorflow/tfjs';
import { BACKENDS, ConfigError } from '@trainkit/core';
import { backendMemoryMB, setupBackend } from '@trainkit/core/backend';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ADDED_KERNELS,
  REPLACED_KERNELS,
  registerTrainingKernels,
  registeredTrainingKernels,
  setupWasmBackend,
  unregisterTrainingKernels,
  wasmBackendInfo,
} from '../src/index.js';

const kernelFuncOf = (name: string, backend: string) => tf.getKernel(name, backend)?.kernelFunc;
const ourFuncs = new Set([...ADDED_KERNELS, ...REPLACED_KERNELS].map((k) => k.kernelFunc));

afterAll(() => {
  registerTrainingKernels();
});

describe('the wasm backend plugin', () => {
  it('registers BACKENDS wasm, which core selects by name and by default', async () => {
    expect(BACKENDS.getEntry('wasm')?.from).toBe('@trainkit/backend-wasm');
    expect(await setupBackend({ backend: 'wasm' })).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    await tf.setBackend('cpu');
    expect(await setupBackend({})).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('reports its threads, SIMD, kernels and heap size', async () => {
    await setupWasmBackend({ num_threads: 1 });
    const info = wasmBackendInfo()!;
    expect(info.threads).toBe(1);
    expect(typeof info.simd).toBe('boolean');
    expect(info.kernels).toEqual(
      expect.arrayContaining(['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'UnsortedSegmentSum']),
    );
    expect(backendMemoryMB()).toBeGreaterThan(0);
  });

  it('registers kernels for wasm only: the cpu backend keeps its own', () => {
    for (const name of ['Conv2DBackpropFilter', 'BatchMatMul', 'MaxPoolGrad', 'UnsortedSegmentSum']) {
      expect(ourFuncs.has(kernelFuncOf(name, 'cpu')!)).toBe(false);
      expect(ourFuncs.has(kernelFuncOf(name, 'wasm')!)).toBe(true);
    }
  });

  it('can put tfjs-backend-wasm’s kernels back, and keep the slow ones with replace_slow_kernels: false', async () => {
    unregisterTrainingKernels();
    expect(registeredTrainingKernels()).toEqual([]);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(ourFuncs.has(kernelFuncOf('BatchMatMul', 'wasm')!)).toBe(false);

    await setupWasmBackend({ backend_options: { replace_slow_kernels: false } });
    expect(ourFuncs.has(kernelFuncOf('Conv2DBackpropFilter', 'wasm')!)).toBe(true);
    expect(ourFuncs.has(kernelFuncOf('BatchMatMul', 'wasm')!)).toBe(false);
    // The restored originals still work (their setup ran when the backend started).
    const y = tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, true);
    expect([...y.dataSync()]).toEqual([3, 3, 3, 3]);

    registerTrainingKernels();
    expect(ourFuncs.has(kernelFuncOf('BatchMatMul', 'wasm')!)).toBe(true);
    expect(registerTrainingKernels()).toEqual([]);
  });

  it('rejects unknown options and bad thread counts with the config path', async () => {
    await expect(setupWasmBackend({ backend_options: { simdd: true } })).rejects.toThrow(/env_cfg\.backend_options\.simdd[\s\S]*Did you mean "simd"/);
    await expect(setupWasmBackend({ num_threads: 0 })).rejects.toThrow(ConfigError);
    await expect(setupWasmBackend({ num_threads: 1.5 })).rejects.toThrow(/env_cfg\.num_threads/);
  });
});
