import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOLERANCE, randomValues, relativeError, wasmReady } from './helpers.js';

const L = tf.layers;

interface LayerCase {
  /** One sample's shape; the batch is 3. */
  input: number[];
  /** Integer inputs in [0, vocabulary) instead of floats (Embedding). */
  vocabulary?: number;
  layers: () => tf.layers.Layer[];
}

/** The layers users commonly train, each with a trainable layer in front where it has no weights itself. */
const CASES: Record<string, LayerCase> = {
  Conv1D: { input: [9, 3], layers: () => [L.conv1d({ inputShape: [9, 3], filters: 4, kernelSize: 3, strides: 2, padding: 'same' })] },
  Conv2D: { input: [8, 7, 3], layers: () => [L.conv2d({ inputShape: [8, 7, 3], filters: 4, kernelSize: 3, activation: 'relu' })] },
  'Conv2D strided same': { input: [8, 7, 3], layers: () => [L.conv2d({ inputShape: [8, 7, 3], filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same' })] },
  'Conv2D channelsFirst': {
    input: [3, 8, 7],
    layers: () => [L.conv2d({ inputShape: [3, 8, 7], filters: 4, kernelSize: 3, dataFormat: 'channelsFirst' })],
  },
  DepthwiseConv2D: { input: [8, 7, 3], layers: () => [L.depthwiseConv2d({ inputShape: [8, 7, 3], kernelSize: 3, depthMultiplier: 2, padding: 'same' })] },
  'DepthwiseConv2D strided': { input: [8, 7, 3], layers: () => [L.depthwiseConv2d({ inputShape: [8, 7, 3], kernelSize: 3, strides: 2 })] },
  SeparableConv2D: { input: [8, 7, 3], layers: () => [L.separableConv2d({ inputShape: [8, 7, 3], filters: 5, kernelSize: 3, padding: 'same' })] },
  Conv2DTranspose: { input: [4, 5, 3], layers: () => [L.conv2dTranspose({ inputShape: [4, 5, 3], filters: 2, kernelSize: 3, strides: 2, padding: 'same' })] },
  // No bias in front: batch normalisation cancels it, so its gradient is rounding noise on both backends.
  BatchNormalization: { input: [5, 4], layers: () => [L.dense({ inputShape: [5, 4], units: 3, useBias: false }), L.batchNormalization({})] },
  Embedding: { input: [6], vocabulary: 10, layers: () => [L.embedding({ inputShape: [6], inputDim: 10, outputDim: 4 })] },
  LSTM: { input: [5, 3], layers: () => [L.lstm({ inputShape: [5, 3], units: 4, returnSequences: true })] },
  GRU: { input: [5, 3], layers: () => [L.gru({ inputShape: [5, 3], units: 4 })] },
  SimpleRNN: { input: [5, 3], layers: () => [L.simpleRNN({ inputShape: [5, 3], units: 4 })] },
  Dropout: { input: [6], layers: () => [L.dense({ inputShape: [6], units: 8 }), L.dropout({ rate: 0.5, seed: 7 })] },
  MaxPooling1D: { input: [8, 3], layers: () => [L.conv1d({ inputShape: [8, 3], filters: 2, kernelSize: 1 }), L.maxPooling1d({ poolSize: 2 })] },
  AveragePooling1D: { input: [8, 3], layers: () => [L.conv1d({ inputShape: [8, 3], filters: 2, kernelSize: 1 }), L.averagePooling1d({ poolSize: 2 })] },
  MaxPooling2D: {
    input: [6, 6, 2],
    layers: () => [L.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 1, activation: 'relu' }), L.maxPooling2d({ poolSize: 2 })],
  },
  AveragePooling2D: {
    input: [6, 6, 2],
    layers: () => [L.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 1 }), L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' })],
  },
  GlobalAveragePooling1D: { input: [6, 2], layers: () => [L.conv1d({ inputShape: [6, 2], filters: 3, kernelSize: 2 }), L.globalAveragePooling1d({})] },
  GlobalAveragePooling2D: { input: [6, 6, 2], layers: () => [L.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3 }), L.globalAveragePooling2d({})] },
  Dense: { input: [6], layers: () => [L.dense({ inputShape: [6], units: 3, activation: 'relu' }), L.dense({ units: 2 })] },
  LayerNormalization: { input: [6], layers: () => [L.dense({ inputShape: [6], units: 5 }), L.layerNormalization({})] },
  Flatten: { input: [3, 2], layers: () => [L.flatten({ inputShape: [3, 2] }), L.dense({ units: 2 })] },
};

const BATCH = 3;
const STEPS = 3;

interface Trace {
  losses: number[];
  /** Gradients of the first step, in trainable-weight order. */
  grads: Float32Array[];
}

/** Trains a fresh copy of the model on `backend` from the given weights, with plain SGD. */
async function train(backend: string, c: LayerCase, weights: Float32Array[]): Promise<Trace> {
  await tf.setBackend(backend);
  const model = tf.sequential({ layers: c.layers() });
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[i], w.shape)));
  const size = [BATCH, ...c.input].reduce((p, d) => p * d, 1);
  const x = c.vocabulary
    ? tf.tensor(
        randomValues(size, 61).map((v) => Math.floor(((v + 1) / 2) * c.vocabulary!)),
        [BATCH, ...c.input],
        'int32',
      )
    : tf.tensor(randomValues(size, 61), [BATCH, ...c.input]);
  const outShape = (model.outputs[0].shape as number[]).map((d) => d ?? BATCH);
  const target = tf.tensor(
    randomValues(
      outShape.reduce((p, d) => p * d, 1),
      62,
    ),
    outShape,
  );
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = tf.train.sgd(0.1);
  const trace: Trace = { losses: [], grads: [] };
  for (let step = 0; step < STEPS; step++) {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(target, model.apply(x, { training: true }) as tf.Tensor), vars);
      trace.losses.push(value.dataSync()[0]);
      if (step === 0) trace.grads = vars.map((v) => grads[v.name].dataSync().slice() as Float32Array);
      optimizer.applyGradients(grads);
    });
  }
  tf.dispose([x, target]);
  optimizer.dispose();
  model.dispose();
  return trace;
}

beforeAll(wasmReady);

describe('training the common tfjs-layers layers on wasm gives cpu backend results', () => {
  it.each(Object.keys(CASES))('%s', async (name) => {
    const c = CASES[name];
    await tf.setBackend('cpu');
    const init = tf.sequential({ layers: c.layers() });
    const weights = init.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    init.dispose();

    const want = await train('cpu', c, weights);
    const got = await train('wasm', c, weights);
    expect(got.grads.length).toBe(want.grads.length);
    expect(got.grads.some((g) => g.some((v) => v !== 0))).toBe(true);
    for (let i = 0; i < want.grads.length; i++) expect(relativeError(got.grads[i], want.grads[i]), `gradient ${i}`).toBeLessThan(TOLERANCE);
    expect(relativeError(got.losses, want.losses)).toBeLessThan(TOLERANCE);
    // The losses move: the model trained.
    expect(got.losses[STEPS - 1]).not.toBe(got.losses[0]);
  });
});
