import * as tf from '@tensorflow/tfjs';
import type { LossOutput } from '@trainkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import type { OptimWrapper } from '../src/index.js';
import { buildWrapper } from './helpers/fixtures.js';
import { disposeTree } from './helpers/snapshot.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CALLS = 1000;

/** A small two-layer model whose loss every call creates (and the wrapper must free). */
function model() {
  const w1 = tf.variable(tf.randomNormal([8, 4], 0, 0.3, 'float32', 1), true);
  const b1 = tf.variable(tf.zeros([4]), true);
  const w2 = tf.variable(tf.randomNormal([4, 1], 0, 0.3, 'float32', 2), true);
  const x = tf.randomNormal([16, 8], 0, 1, 'float32', 3);
  const y = tf.randomNormal([16, 1], 0, 1, 'float32', 4);
  const lossFn = (k: number) => (): LossOutput => {
    const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
    // every 97th call overflows, to exercise AMP's skipped steps
    const scale = k % 97 === 96 ? Number.POSITIVE_INFINITY : 1;
    const loss = tf.mul(tf.mean(tf.square(tf.sub(tf.matMul(h, w2), y))), scale) as tf.Scalar;
    return { loss, logVars: { loss, loss_aux: tf.mul(loss, 0.5) as tf.Scalar } };
  };
  const dispose = () => {
    for (const t of [w1, b1, w2, x, y]) t.dispose();
  };
  return { params: { 'fc1.weight': w1, 'fc1.bias': b1, 'fc2.weight': w2 }, lossFn, dispose };
}

const CASES: Array<[string, Record<string, unknown>, Record<string, unknown> | undefined]> = [
  [
    'OptimWrapper, SGD momentum, norm clipping, accumulation 4',
    { optimizer: { type: 'SGD', lr: 0.01, momentum: 0.9 }, clip_grad: { max_norm: 1 }, accumulative_counts: 4 },
    undefined,
  ],
  [
    'OptimWrapper, AdamW, inf-norm clipping, paramwise groups',
    { optimizer: { type: 'AdamW', lr: 1e-3 }, clip_grad: { max_norm: 1, norm_type: 'inf' } },
    { bias_lr_mult: 2 },
  ],
  [
    'OptimWrapper, RMSprop, value clipping, accumulation 3',
    { optimizer: { type: 'RMSprop', lr: 1e-3, centered: true, momentum: 0.5 }, clip_grad: { type: 'value', clip_value: 0.1 }, accumulative_counts: 3 },
    undefined,
  ],
  ['OptimWrapper, Rprop', { optimizer: { type: 'Rprop', lr: 1e-3 } }, undefined],
  ['OptimWrapper, ASGD averaging from step 10', { optimizer: { type: 'ASGD', lr: 1e-2, t0: 10 } }, undefined],
  [
    'AmpOptimWrapper, Adam, dynamic scale, clipping, accumulation 2',
    { type: 'AmpOptimWrapper', optimizer: { type: 'Adam', lr: 1e-3, amsgrad: true }, clip_grad: { max_norm: 1 }, accumulative_counts: 2 },
    undefined,
  ],
];

describe(`tf.memory().numTensors stays flat over ${CALLS} updateParams calls`, () => {
  for (const [name, cfg, paramwise] of CASES) {
    it(name, () => {
      const m = model();
      const start = tf.memory().numTensors;
      const wrapper: OptimWrapper = buildWrapper(cfg, m.params, paramwise);
      wrapper.initializeCountStatus(undefined, 0, CALLS);
      const counts: number[] = [];
      for (let k = 0; k < CALLS; k++) {
        disposeTree(wrapper.updateParams(m.lossFn(k)));
        // after the first window every state tensor exists
        if (k === 11 || k === CALLS - 1) counts.push(tf.memory().numTensors);
      }
      expect(counts[1]).toBe(counts[0]);
      wrapper.dispose();
      expect(tf.memory().numTensors).toBe(start);
      m.dispose();
    });
  }
});
