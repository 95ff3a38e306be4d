import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { FUSED_KERNELS } from '@trainkit/core/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredTrainingKernels, setupWasmBackend } from '../src/index.js';
import { optimizerLoops, setSimdLoopsEnabled } from '../src/kernels/simd/optimizer-loops.js';
import { randomValues } from './helpers.js';

// The optimizers' semantics are checked against PyTorch with @trainkit/optim in
// tests/e2e/fused-kernels.test.ts; here: the SIMD loops against the JS loops, over every flag,
// sizes with and without a tail, and the heap left as it was.

beforeAll(async () => {
  await setupWasmBackend({});
  await tf.setBackend('wasm');
});

afterAll(() => setSimdLoopsEnabled(true));

const backend = () => tf.backend() as BackendWasm;

interface Case {
  kernel: string;
  inputs: string[];
  attrs: Record<string, unknown>;
}

const base = { lr: 0.05, weightDecay: 0, maximize: false };
const CASES: Case[] = [
  { kernel: FUSED_KERNELS.sgd, inputs: ['param', 'grad'], attrs: { ...base, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0.01 } },
  { kernel: FUSED_KERNELS.sgd, inputs: ['param', 'grad'], attrs: { ...base, momentum: 0.9, dampening: 0, nesterov: true, maximize: true } },
  {
    kernel: FUSED_KERNELS.sgd,
    inputs: ['param', 'grad', 'momentumBuffer'],
    attrs: { ...base, momentum: 0.9, dampening: 0.2, nesterov: false, weightDecay: 0.1 },
  },
  { kernel: FUSED_KERNELS.sgd, inputs: ['param', 'grad', 'momentumBuffer'], attrs: { ...base, momentum: 0.8, dampening: 0, nesterov: true } },
  ...[false, true].flatMap((decoupled) =>
    [false, true].map((amsgrad) => ({
      kernel: FUSED_KERNELS.adam,
      inputs: ['param', 'grad', 'expAvg', 'expAvgSq', ...(amsgrad ? ['maxExpAvgSq'] : [])],
      attrs: { ...base, beta1: 0.9, beta2: 0.99, eps: 1e-8, step: 3, decoupled, amsgrad, weightDecay: 0.05, maximize: amsgrad },
    })),
  ),
  ...[false, true].flatMap((centered) =>
    [0, 0.7].map((momentum) => ({
      kernel: FUSED_KERNELS.rmsprop,
      inputs: ['param', 'grad', 'squareAvg', ...(centered ? ['gradAvg'] : []), ...(momentum > 0 ? ['momentumBuffer'] : [])],
      attrs: { ...base, alpha: 0.9, eps: 1e-8, momentum, centered, weightDecay: 0.01 },
    })),
  ),
  { kernel: FUSED_KERNELS.adagrad, inputs: ['param', 'grad', 'sum'], attrs: { ...base, eps: 1e-10, weightDecay: 0.02, maximize: true } },
];

/** Runs `c` on fresh inputs of `size` elements; squares and grad averages stay consistent (sq >= ga^2). */
function run(c: Case, size: number, simd: boolean): Float32Array[] {
  setSimdLoopsEnabled(simd);
  return tf.tidy(() => {
    const inputs: Record<string, tf.Tensor> = {};
    c.inputs.forEach((name, k) => {
      const v = randomValues(size, 31 * k + size);
      const positive = ['expAvgSq', 'maxExpAvgSq', 'squareAvg', 'sum'].includes(name);
      inputs[name] = tf.tensor1d(positive ? v.map((x) => x * x + 1) : v);
    });
    const out = tf.engine().runKernel(c.kernel, inputs, c.attrs as tf.NamedAttrMap) as tf.Tensor[];
    return out.map((t) => t.dataSync() as Float32Array);
  });
}

describe('fused optimizer kernels on wasm', () => {
  it('registers the fused kernels with the setup, and fused_kernels: false removes them', async () => {
    expect(registeredTrainingKernels()).toEqual(expect.arrayContaining(Object.values(FUSED_KERNELS)));
    await setupWasmBackend({ backend_options: { fused_kernels: false } });
    expect(Object.values(FUSED_KERNELS).filter((k) => tf.getKernel(k, 'wasm'))).toEqual([]);
    await setupWasmBackend({});
    expect(Object.values(FUSED_KERNELS).every((k) => tf.getKernel(k, 'wasm'))).toBe(true);
  });

  it('builds the SIMD loops on this runtime', () => {
    setSimdLoopsEnabled(true);
    expect(optimizerLoops(backend())).toBeDefined();
  });

  for (const c of CASES) {
    it(`${c.kernel} ${JSON.stringify(c.attrs)}: SIMD loop equals the JS loop`, () => {
      for (const size of [3, 4, 1027]) {
        const simd = run(c, size, true);
        const js = run(c, size, false);
        expect(simd.length).toBe(js.length);
        simd.forEach((values, k) => {
          for (let i = 0; i < size; i++) {
            const err = Math.abs(values[i] - js[k][i]);
            // float32 steps against float64 ones: the optimizer reference tests' tolerance
            if (err > 1e-5 * Math.abs(js[k][i]) + 1e-6) throw new Error(`size ${size}, output ${k}, element ${i}: SIMD ${values[i]}, JS ${js[k][i]}`);
          }
        });
      }
    });
  }

  it('leaves no data behind on the backend', () => {
    setSimdLoopsEnabled(true);
    for (const c of CASES) run(c, 64, true);
    const before = backend().numDataIds();
    const tensors = tf.memory().numTensors;
    for (const c of CASES) run(c, 1027, true);
    expect(backend().numDataIds()).toBe(before);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('names the input whose shape does not match the parameter', () => {
    const p = tf.zeros([3]);
    const g = tf.zeros([4]);
    expect(() => tf.engine().runKernel(FUSED_KERNELS.adagrad, { param: p, grad: g, sum: p }, { ...base, eps: 1e-10 })).toThrow(
      /"grad" has shape \[4\], the parameter \[3\]/,
    );
    tf.dispose([p, g]);
  });
});
