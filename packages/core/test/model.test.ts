import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Accuracy, ConfigError, type DataSample, type ForwardMode, LayersClassifier, parseLosses, setupBackend } from '../src/index.js';
import { SimpleSGDWrapper, ToyModel } from '../src/testing/index.js';

beforeAll(async () => {
  await setupBackend({ backend: 'cpu' });
});

const batch = (n: number) => ({
  inputs: { data: new Float32Array(n * 4).map((_, i) => (i % 7) / 7), shape: [n, 4] },
  data_samples: Array.from({ length: n }, (_, i) => ({ gt_label: i % 3 })),
});

describe('BaseModel', () => {
  it('reads tensors a custom predict mode puts in its samples, leak-free', async () => {
    class Scorer extends ToyModel {
      override forward(inputs: tf.Tensor, samples: DataSample[] | undefined, mode: ForwardMode) {
        if (mode !== 'predict') return super.forward(inputs, samples, mode);
        const y = tf.squeeze(tf.matMul(inputs as tf.Tensor2D, this.weight));
        return [0, 1].map((i) => ({ ...samples?.[i], pred_score: tf.gather(y, [i]), pred_label: tf.scalar(i), meta: { raw: [tf.scalar(7)] } })) as never;
      }
    }
    const model = new Scorer();
    const before = tf.memory().numTensors;
    const out = await model.valStep({ inputs: { data: new Float32Array([1, 0, 0, 1]), shape: [2, 2] } });
    expect(tf.memory().numTensors).toBe(before);
    // a sample's tensor from the batch is read into the output but stays the batch's
    const mask = tf.tensor1d([1, 2]);
    const passed = await model.valStep({ inputs: { data: new Float32Array([1, 0, 0, 1]), shape: [2, 2] }, data_samples: [{ mask }, { mask }] });
    expect(mask.isDisposed).toBe(false);
    expect(passed[0].mask).toEqual(new Float32Array([1, 2]));
    mask.dispose();
    const w = model.weight.dataSync();
    expect(out).toEqual([
      { pred_score: new Float32Array([w[0]]), pred_label: 0, meta: { raw: [7] } },
      { pred_score: new Float32Array([w[1]]), pred_label: 1, meta: { raw: [7] } },
    ]);
    model.dispose();
  });

  it('names tfjs-layers weights by layer index (stable across processes) and keeps buffers apart', () => {
    const model = new LayersClassifier({
      layers: [{ type: 'dense', units: 5, input_shape: [4] }, { type: 'batchNormalization' }, { type: 'dense', units: 3, name: 'head' }],
    });
    const names = model.namedParameters().map(([n]) => n);
    expect(names).toEqual(['network.0.kernel', 'network.0.bias', 'network.1.gamma', 'network.1.beta', 'network.head.kernel', 'network.head.bias']);
    expect(model.namedBuffers().map(([n]) => n)).toEqual(['network.1.moving_mean', 'network.1.moving_variance']);
    expect(model.parameterInfo().find((p) => p.name === 'network.1.gamma')?.module).toBe('BatchNormalization');
    model.dispose();
  });

  it('works with raw variables too, and round-trips its state dict', () => {
    const a = new ToyModel();
    const b = new ToyModel();
    const before = tf.memory().numTensors;
    const report = b.loadStateDict(a.stateDict());
    expect(report).toEqual({ missing: [], unexpected: [] });
    expect(Array.from(b.weight.dataSync())).toEqual(Array.from(a.weight.dataSync()));
    expect(tf.memory().numTensors).toBe(before);
    expect(() => b.loadStateDict({ 'linear.weight': tf.zeros([3, 1]) }, false)).toThrow(/checkpoint has shape \[3,1\], the model \[2,1\]/);
    expect(() => b.loadStateDict({ extra: tf.zeros([1]) }, true)).toThrow(/missing keys: linear.weight, linear.bias\n {2}unexpected keys: extra/);
    a.dispose();
    b.dispose();
  });

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

  it('sums losses the MMEngine way: every entry with "loss" in its name', () => {
    tf.tidy(() => {
      const { loss, logVars } = parseLosses({ loss_cls: tf.tensor([1, 3]), loss_aux: [tf.scalar(1), tf.tensor([2, 4])], acc: tf.scalar(0.5) });
      expect(loss.dataSync()[0]).toBe(6);
      expect(Object.keys(logVars)).toEqual(['loss', 'loss_cls', 'loss_aux', 'acc']);
    });
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

describe('backends', () => {
  it('explains how to get a backend that is not installed', async () => {
    const err = await setupBackend({ backend: 'tensorflow' }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('env_cfg.backend: the "@tensorflow/tfjs-node" package is not installed');
    expect(err.message).toContain("backend: 'wasm'");
    const unknown = await setupBackend({ backend: 'webgl' }).catch((e) => e);
    expect(unknown.message).toContain('env_cfg.backend: unknown backend "webgl"');
    // only backends that can run here are offered: cpu always, tfjs-node only when installed
    expect(unknown.message).toMatch(/use one of: .*cpu/);
    expect(unknown.message).not.toMatch(/use one of: .*tensorflow/);
    expect(tf.getBackend()).toBe('cpu');
  });
});
