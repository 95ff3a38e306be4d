import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { inScope } from '../src/kernels/wasm-scope.js';
import { wasmReady } from './helpers.js';

const L = tf.layers;

beforeAll(wasmReady);

function wasmBackend(): BackendWasm {
  return tf.backend() as BackendWasm;
}

describe('memory', () => {
  it('holds tf.memory().numTensors and the backend data flat over training steps that use every added kernel', async () => {
    await tf.setBackend('wasm');
    const image = tf.input({ shape: [8, 8, 2] });
    let y = L.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(image) as tf.SymbolicTensor;
    y = L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }).apply(y) as tf.SymbolicTensor;
    y = L.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(y) as tf.SymbolicTensor;
    y = L.maxPooling2d({ poolSize: 2 }).apply(y) as tf.SymbolicTensor;
    y = L.flatten().apply(y) as tf.SymbolicTensor;
    const tokens = tf.input({ shape: [5], dtype: 'int32' });
    let e = L.embedding({ inputDim: 12, outputDim: 3 }).apply(tokens) as tf.SymbolicTensor;
    e = L.flatten().apply(e) as tf.SymbolicTensor;
    const joined = L.concatenate().apply([y, e]) as tf.SymbolicTensor;
    const out = L.dense({ units: 3 }).apply(joined) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [image, tokens], outputs: out });
    const x = tf.randomNormal([4, 8, 8, 2]);
    const ids = tf.randomUniform([4, 5], 0, 12, 'int32');
    const target = tf.randomNormal([4, 3]);
    const optimizer = tf.train.adam(0.01);
    const step = () =>
      tf.tidy(() => {
        optimizer.minimize(() => tf.losses.meanSquaredError(target, model.apply([x, ids], { training: true }) as tf.Tensor));
      });

    step(); // the optimizer creates its slots on the first step
    const tensors = tf.memory().numTensors;
    const dataIds = wasmBackend().numDataIds();
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(wasmBackend().numDataIds()).toBe(dataIds);
    tf.dispose([x, ids, target]);
    optimizer.dispose();
    model.dispose();
  });

  it('releases a kernel’s intermediates when it fails part-way', async () => {
    await tf.setBackend('wasm');
    const backend = wasmBackend();
    const before = backend.numDataIds();
    expect(() =>
      inScope(backend, (s) => {
        s.output([16, 16]);
        s.output([4]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(backend.numDataIds()).toBe(before);
  });

  it('gives the engine exactly one new reference per kernel output', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 6, 6, 3]);
    const dy = tf.randomNormal([2, 3, 3, 4]);
    const before = wasmBackend().numDataIds();
    const dw = tf
      .engine()
      .runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] }) as tf.Tensor;
    expect(wasmBackend().numDataIds()).toBe(before + 1);
    dw.dispose();
    expect(wasmBackend().numDataIds()).toBe(before);
    tf.dispose([x, dy]);
  });
});
