import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BaseModel, ConfigError, TrainkitError, type DataSample, type ForwardMode, parseLosses } from '../src/index.js';
import { setupBackend } from '../src/public/backend.js';
import { ToyModel } from '../src/testing/index.js';

beforeAll(async () => {
  await setupBackend({ backend: 'cpu' });
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
    class Layered extends BaseModel {
      constructor() {
        super();
        const layers = [tf.layers.dense({ units: 5, inputShape: [4] }), tf.layers.batchNormalization(), tf.layers.dense({ units: 3, name: 'head' })];
        this.addLayersModel('network', tf.sequential({ layers }));
      }
      forward(inputs: tf.Tensor, _s: unknown, _m: ForwardMode): tf.Tensor {
        return inputs;
      }
    }
    const model = new Layered();
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

  it('a dropout rate of 1 or more in a model built in code (tfjs would silently skip the layer)', () => {
    class Coded extends BaseModel {
      constructor() {
        super();
        const net = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2] }), tf.layers.dropout({ rate: 50 })] });
        this.addLayersModel('net', net);
      }
      forward(inputs: tf.Tensor, _s: unknown, _m: ForwardMode): tf.Tensor {
        return inputs;
      }
    }
    expect(() => new Coded()).toThrow(TrainkitError);
    expect(() => new Coded()).toThrow(/^net\.1 \(Dropout "[^"]+"\): dropout rate 1 is outside \[0, 1\), so tfjs would apply no dropout at all/);
  });

  it('sums losses the MMEngine way: every entry with "loss" in its name', () => {
    tf.tidy(() => {
      const { loss, logVars } = parseLosses({ loss_cls: tf.tensor([1, 3]), loss_aux: [tf.scalar(1), tf.tensor([2, 4])], acc: tf.scalar(0.5) });
      expect(loss.dataSync()[0]).toBe(6);
      expect(Object.keys(logVars)).toEqual(['loss', 'loss_cls', 'loss_aux', 'acc']);
    });
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
