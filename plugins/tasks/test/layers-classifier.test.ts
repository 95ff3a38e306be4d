import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@trainkit/core';
import { setupBackend } from '@trainkit/core/backend';
import { SimpleSGDWrapper } from '@trainkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { Accuracy, LayersClassifier } from '../src/index.js';

beforeAll(async () => {
  await setupBackend({ backend: 'cpu' });
});

const batch = (n: number) => ({
  inputs: { data: new Float32Array(n * 4).map((_, i) => (i % 7) / 7), shape: [n, 4] },
  data_samples: Array.from({ length: n }, (_, i) => ({ gt_label: i % 3 })),
});

describe('LayersClassifier', () => {
  it('trains leak-free and predicts scores, labels and kept annotations', async () => {
    const model = new LayersClassifier({ layers: [{ type: 'dense', units: 8, activation: 'relu', input_shape: [4] }], num_classes: 3 });
    const wrapper = new SimpleSGDWrapper(model, 0.5);
    const step = () => {
      const logs = model.trainStep(batch(6), wrapper) as Awaited<ReturnType<typeof model.trainStep>>;
      const loss = logs.loss.dataSync()[0];
      for (const t of Object.values(logs)) t.dispose();
      return loss;
    };
    const first = step();
    const count = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 50; i++) last = step();
    expect(tf.memory().numTensors).toBe(count);
    expect(last).toBeLessThan(first);
    const out = await model.eval().valStep(batch(3));
    expect(out).toHaveLength(3);
    expect(out).toEqual(tf.tidy(() => model.forward(tf.tensor2d(batch(3).inputs.data, [3, 4]), batch(3).data_samples, 'predict') as never));
    expect(out[0].pred_score).toHaveLength(3);
    expect(out[0].gt_label).toBe(0);
    expect(typeof out[0].pred_label).toBe('number');
    expect(tf.memory().numTensors).toBe(count);
    model.dispose();
  });

  it('rejects an unknown layer type with the path and a hint', () => {
    expect(() => new LayersClassifier({ layers: [{ type: 'dense', units: 2, input_shape: [2] }, { type: 'conv2dd' }] })).toThrow(ConfigError);
    expect(() => new LayersClassifier({ layers: [{ type: 'dense', units: 2, input_shape: [2] }, { type: 'conv2dd' }] })).toThrow(
      /model\.layers\.1\.type: unknown layer type "conv2dd"\. Did you mean "conv2d"/,
    );
  });
});

describe('Accuracy', () => {
  it('reports top-k accuracy in percent with its prefix', () => {
    const acc = new Accuracy({ topk: [1, 2] });
    acc.process({ inputs: null }, [
      { gt_label: 0, pred_score: [0.7, 0.2, 0.1] },
      { gt_label: 1, pred_score: [0.5, 0.4, 0.1] },
      { gt_label: 2, pred_score: [0.5, 0.4, 0.1] },
      { gt_label: 2, pred_label: 2 },
    ]);
    expect(acc.evaluate(4)).toEqual({ 'accuracy/top1': 50, 'accuracy/top2': 75 });
  });
});
