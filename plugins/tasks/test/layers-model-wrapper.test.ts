import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@trainkit/core';
import { TensorDataset, defaultCollate } from '@trainkit/core/data';
import { setupBackend } from '@trainkit/core/backend';
import { LayersModelWrapper, LOSS_NAMES, namedLoss } from '../src/index.js';

beforeAll(async () => {
  await setupBackend({ backend: 'cpu' });
});

/** tfjs's own value of a named loss: compile the model with it and evaluate. */
function tfjsLoss(net: tf.LayersModel, loss: string, x: tf.Tensor, y: tf.Tensor): number {
  net.compile({ loss, optimizer: 'sgd' });
  const r = net.evaluate(x, y) as tf.Scalar;
  const v = r.dataSync()[0];
  r.dispose();
  return v;
}

const dense = (units: number, activation?: 'softmax' | 'sigmoid') =>
  tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units, activation, kernelInitializer: 'glorotUniform' })] });

describe('LayersModelWrapper losses equal tfjs-layers compile({loss})', () => {
  const x = tf.tensor2d([
    [0.1, -0.5, 1],
    [1, 0.3, -0.2],
    [-0.7, 0.8, 0.4],
    [0.2, 0.2, 0.2],
  ]);
  const cases: Array<[string, () => tf.LayersModel, tf.Tensor, Array<Record<string, unknown>>]> = [
    [
      'meanSquaredError',
      () => dense(2),
      tf.tensor2d([
        [1, 2],
        [0, -1],
        [3, 0.5],
        [-2, 1],
      ]),
      [
        [1, 2],
        [0, -1],
        [3, 0.5],
        [-2, 1],
      ].map((v) => ({ gt_value: v })),
    ],
    ['meanAbsoluteError', () => dense(1), tf.tensor2d([[1], [0], [3], [-2]]), [1, 0, 3, -2].map((v) => ({ gt_value: v }))],
    ['categoricalCrossentropy', () => dense(3, 'softmax'), tf.oneHot(tf.tensor1d([0, 2, 1, 2], 'int32'), 3), [0, 2, 1, 2].map((l) => ({ gt_label: l }))],
    ['sparseCategoricalCrossentropy', () => dense(3, 'softmax'), tf.tensor2d([[0], [2], [1], [2]]), [0, 2, 1, 2].map((l) => ({ gt_label: l }))],
    ['binaryCrossentropy', () => dense(1, 'sigmoid'), tf.tensor2d([[1], [0], [0], [1]]), [1, 0, 0, 1].map((l) => ({ gt_label: l }))],
  ];
  for (const [loss, make, y, samples] of cases) {
    it(loss, () => {
      const net = make();
      const expected = tfjsLoss(net, loss, x, y);
      const model = new LayersModelWrapper({ network: net, loss });
      const before = tf.memory().numTensors;
      const got = tf.tidy(() => (model.forward(x, samples, 'loss') as { loss: tf.Scalar }).loss.dataSync()[0]);
      expect(got).toBeCloseTo(expected, 5);
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });
  }

  it('from_logits gives the same loss as the softmax model', () => {
    const logits = dense(3);
    const probs = tf.sequential({ layers: [logits, tf.layers.softmax()] });
    const samples = [0, 2, 1, 2].map((l) => ({ gt_label: l }));
    const a = new LayersModelWrapper({ network: logits, loss: 'sparse_categorical_crossentropy', from_logits: true });
    const b = new LayersModelWrapper({ network: probs, loss: 'sparseCategoricalCrossentropy' });
    const [la, lb] = tf.tidy(() => [a, b].map((m) => (m.forward(x, samples, 'loss') as { loss: tf.Scalar }).loss.dataSync()[0]));
    expect(la).toBeCloseTo(lb, 5);
    probs.dispose();
  });
});

describe('LayersModelWrapper predict mode', () => {
  const batchOf = (rows: number[][], targets: number[]) => {
    const ds = new TensorDataset(
      rows,
      targets.map((t) => [t]),
      { target: 'gt_label' },
    );
    return defaultCollate(rows.map((_, i) => ds.getItem(i)));
  };

  it('gives scores and labels for classification, values for regression, one read per batch', async () => {
    const rows = [
      [1, 0, 0],
      [0, 1, 0],
    ];
    const cls = new LayersModelWrapper({ network: dense(3, 'softmax'), loss: 'sparseCategoricalCrossentropy' });
    const reg = new LayersModelWrapper({ network: dense(1), loss: 'mae' });
    const bin = new LayersModelWrapper({ network: dense(1, 'sigmoid'), loss: 'binaryCrossentropy' });
    const before = tf.memory().numTensors;
    const out = await cls.valStep(batchOf(rows, [2, 1]));
    expect(out[0].pred_score).toHaveLength(3);
    expect(out[0].pred_label).toBe(Array.from(out[0].pred_score as Float32Array).indexOf(Math.max(...(out[0].pred_score as Float32Array))));
    expect(out[1].gt_label).toBe(1);
    const values = await reg.valStep(batchOf(rows, [0, 0]));
    expect(typeof values[0].pred_value).toBe('number');
    const b = await bin.valStep(batchOf(rows, [0, 1]));
    const s = b[0].pred_score as Float32Array;
    expect(s[0] + s[1]).toBeCloseTo(1, 6);
    expect(tf.memory().numTensors).toBe(before);
    for (const m of [cls, reg, bin]) m.dispose();
  });

  it('refuses an unknown loss with the names it knows', () => {
    expect(() => new LayersModelWrapper({ network: dense(1), loss: 'meanSquareError' })).toThrow(ConfigError);
    expect(() => namedLoss('meanSquareError')).toThrow(/Did you mean "meanSquaredError"/);
    expect(LOSS_NAMES).toContain('binaryCrossentropy');
  });

  it('refuses from_logits on a regression loss and a network that is not a tf.LayersModel', () => {
    expect(() => new LayersModelWrapper({ network: dense(1), loss: 'mse', from_logits: true })).toThrow(/crossentropy losses only/);
    expect(() => new LayersModelWrapper({ network: {} as tf.LayersModel, loss: 'mse' })).toThrow(/needs a tf.LayersModel/);
  });

  it('says which sample lacks a target of the right width', () => {
    const m = new LayersModelWrapper({ network: dense(2), loss: 'mse' });
    expect(() => tf.tidy(() => m.forward(tf.zeros([1, 3]), [{ gt_value: [1] }], 'loss') as never)).toThrow(
      /sample 0 of the batch has gt_value with 1 value\(s\) but the network gives 2/,
    );
    m.dispose();
  });
});

describe('TensorDataset', () => {
  it('puts int32 class indices in gt_label and other targets in gt_value', () => {
    const labels = new TensorDataset(
      [
        [1, 2],
        [3, 4],
      ],
      tf.tensor1d([0, 1], 'int32'),
    );
    expect(labels.getItem(1)).toEqual({ inputs: { data: Float32Array.from([3, 4]), shape: [2] }, data_samples: { gt_label: 1 } });
    const values = new TensorDataset(
      tf.tensor2d([[1], [2]]),
      tf.tensor2d([
        [0.5, 1],
        [2, 3],
      ]),
    );
    expect(values.getItem(0).data_samples).toEqual({ gt_value: [0.5, 1] });
    expect(() => new TensorDataset([[1]], [1, 2])).toThrow(/x has 1 rows but y has 2/);
  });
});

describe('LayersModelWrapper from a config', () => {
  it('builds the network from layer configs and checks its options', async () => {
    const { MODELS } = await import('@trainkit/core');
    const model = MODELS.build<LayersModelWrapper>(
      {
        type: 'LayersModelWrapper',
        input_shape: [3],
        layers: [
          { type: 'dense', units: 4, activation: 'relu' },
          { type: 'dense', units: 1, bias_initializer: { className: 'Constant', config: { value: 150 } } },
        ],
        loss: 'mse',
      },
      {},
      'model',
    );
    expect(model.namedParameters().map(([n]) => n)).toEqual(['network.0.kernel', 'network.0.bias', 'network.1.kernel', 'network.1.bias']);
    expect(Array.from(model.network.layers[1].getWeights()[1].dataSync())).toEqual([150]);
    expect(() => MODELS.build({ type: 'LayersModelWrapper', loss: 'mse' }, {}, 'model')).toThrow(/either "network".*or "layers"/);
    expect(() => MODELS.build({ type: 'LayersModelWrapper', layers: [{ type: 'dense', units: 1 }], loss: 'mse', los: 1 }, {}, 'model')).toThrow(/los/);
    model.dispose();
  });
});

describe('the Runner takes a built model', () => {
  it('uses the object as the model, and refuses a data_preprocessor it cannot apply', async () => {
    const { Runner } = await import('@trainkit/core');
    const os = await import('node:os');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-built-model-'));
    const model = new LayersModelWrapper({ network: dense(1), loss: 'mse' });
    const runner = new Runner({ work_dir: dir, model, default_hooks: { logger: null, checkpoint: null, param_scheduler: null } });
    expect(runner.model).toBe(model);
    await runner.dispose();
    const other = new LayersModelWrapper({ network: dense(1), loss: 'mse' });
    expect(() => new Runner({ work_dir: dir, model: other, data_preprocessor: { scale: 2 } })).toThrow(
      /data_preprocessor cannot be applied to a model that is already built/,
    );
    other.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
