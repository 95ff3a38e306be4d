import '@trainkit/optim';
import * as tf from '@tensorflow/tfjs';
import { registerTrainingKernels } from '@trainkit/backend-wasm';
import { FUSED_KERNELS, setupBackend } from '@trainkit/core/backend';
import { OPTIMIZERS } from '@trainkit/core';
import { LayersClassifier, LayersModelWrapper, softmaxCrossEntropy } from '@trainkit/tasks';
import type { Optimizer, ParamGroupInput } from '@trainkit/optim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimizerCases, seededValues as values, worstMismatch } from '../support/reference.js';

// The fused kernels live in @trainkit/backend-wasm, their callers in @trainkit/optim and core:
// only a test that loads all three can show the contract holds.

const FUSED_TYPES: Record<string, string> = {
  SGD: FUSED_KERNELS.sgd,
  Adam: FUSED_KERNELS.adam,
  AdamW: FUSED_KERNELS.adam,
  RMSprop: FUSED_KERNELS.rmsprop,
  Adagrad: FUSED_KERNELS.adagrad,
};

beforeAll(async () => {
  await setupBackend({ backend: 'wasm' });
});

afterAll(() => {
  registerTrainingKernels({ fusedKernels: true });
});

function useFused(on: boolean): void {
  registerTrainingKernels({ fusedKernels: on });
}

describe('fused optimizer kernels on wasm against PyTorch trajectories (reference/optimizers)', () => {
  const cases = optimizerCases().filter(({ data }) => data.optimizer.type in FUSED_TYPES);

  it('covers SGD, Adam, AdamW, RMSprop and Adagrad', () => {
    expect(new Set(cases.map((c) => c.data.optimizer.type))).toEqual(new Set(Object.keys(FUSED_TYPES)));
  });

  for (const { name, data } of cases) {
    it(`${name}: ${JSON.stringify(data.optimizer)}`, async () => {
      useFused(true);
      const vars = new Map<string, tf.Variable>();
      for (const [n, p] of Object.entries(data.params)) vars.set(n, tf.variable(tf.tensor(p.data, p.shape, 'float32'), true, `fused_${name}_${n}`));
      const groups: ParamGroupInput[] = data.param_groups.map(({ params, ...over }) => ({ ...over, params: params.map((n) => vars.get(n)!) }));
      const optimizer = OPTIMIZERS.build<Optimizer>(data.optimizer, { params: groups }, 'optimizer');
      const counts: number[] = [];
      try {
        for (const [k, grads] of data.grads.entries()) {
          const map = new Map<tf.Variable, tf.Tensor>();
          for (const [n, g] of Object.entries(grads)) map.set(vars.get(n)!, tf.tensor(g, vars.get(n)!.shape, 'float32'));
          const profile = await tf.profile(() => optimizer.step(map));
          for (const g of map.values()) g.dispose();
          // one kernel per parameter (on the first step the state is created, zero-filled, too)
          const names = profile.kernels.map((kernel) => kernel.name).filter((n) => k > 0 || !['Fill', 'ZerosLike'].includes(n));
          expect(names, `step ${k + 1}`).toEqual(Object.keys(grads).map(() => FUSED_TYPES[data.optimizer.type]));
          counts.push(tf.memory().numTensors);
          for (const [n, want] of Object.entries(data.expected[k])) {
            expect(worstMismatch(vars.get(n)!.dataSync(), want, 1e-5, 1e-6), `step ${k + 1}, ${n}`).toBeUndefined();
          }
        }
        expect(new Set(counts.slice(1)).size, `tf.memory().numTensors after each step: ${counts}`).toBe(1);
      } finally {
        optimizer.dispose();
        for (const v of vars.values()) v.dispose();
      }
    });
  }
});

describe('fused optimizer kernels against the composite path', () => {
  const variants: Array<Record<string, unknown>> = [
    { type: 'SGD', lr: 0.1 },
    { type: 'SGD', lr: 0.1, weight_decay: 0.01, maximize: true },
    { type: 'SGD', lr: 0.1, momentum: 0.9, dampening: 0.3, weight_decay: 0.01 },
    { type: 'SGD', lr: 0.1, momentum: 0.9, nesterov: true, maximize: true },
    { type: 'Adam', lr: 0.01, weight_decay: 0.01, maximize: true },
    { type: 'Adam', lr: 0.01, amsgrad: true, betas: [0.8, 0.9] },
    { type: 'AdamW', lr: 0.01, weight_decay: 0.1, amsgrad: true },
    { type: 'RMSprop', lr: 0.01, alpha: 0.9 },
    { type: 'RMSprop', lr: 0.01, momentum: 0.5, centered: true, weight_decay: 0.01, maximize: true },
    { type: 'Adagrad', lr: 0.1, lr_decay: 0.1, initial_accumulator_value: 0.2, maximize: true },
  ];

  /** Weights after 4 steps of `cfg` on fixed gradients, with or without the fused kernels. */
  function train(cfg: Record<string, unknown>, fused: boolean): Float32Array[] {
    useFused(fused);
    const shapes = [[33, 17], [17], [5, 3, 2]];
    const vars = shapes.map((s, i) => tf.variable(tf.tensor(values(tf.util.sizeFromShape(s), i + 1), s)));
    const optimizer = OPTIMIZERS.build<Optimizer>(cfg as { type: string }, { params: vars }, 'optimizer');
    try {
      for (let step = 0; step < 4; step++) {
        const grads = new Map(vars.map((v, i) => [v, tf.tensor(values(v.size, 100 * step + i), v.shape)] as const));
        optimizer.step(grads);
        tf.dispose([...grads.values()]);
      }
      return vars.map((v) => v.dataSync() as Float32Array);
    } finally {
      optimizer.dispose();
      tf.dispose(vars);
    }
  }

  for (const cfg of variants) {
    it(JSON.stringify(cfg), () => {
      const fused = train(cfg, true);
      const composite = train(cfg, false);
      fused.forEach((w, i) => {
        expect(worstMismatch(w, composite[i], 1e-5, 1e-6), `parameter ${i}`).toBeUndefined();
      });
    });
  }

  it('refuses nothing silently: a state tensor of the wrong shape is an error naming it', () => {
    useFused(true);
    const p = tf.variable(tf.zeros([3]));
    const g = tf.zeros([4]);
    expect(() =>
      tf.engine().runKernel(FUSED_KERNELS.sgd, { param: p, grad: g }, { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }),
    ).toThrow(/"grad" has shape \[4\], the parameter \[3\]/);
    tf.dispose([p, g]);
  });
});

describe('fused softmax cross-entropy', () => {
  const logitsData = values(64 * 10, 7).map((v) => v * 8);
  const labelsData = Array.from({ length: 64 }, (_, i) => (i * 7) % 10);

  function lossAndGrad(fused: boolean, smoothing: number): { loss: number; grad: Float32Array } {
    useFused(fused);
    const result = tf.tidy(() => {
      const logits = tf.tensor2d(logitsData, [64, 10]);
      const onehot = tf.oneHot(tf.tensor1d(labelsData, 'int32'), 10) as tf.Tensor2D;
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => softmaxCrossEntropy(onehot, x as tf.Tensor2D, smoothing))(logits);
      return { loss: value.dataSync()[0], grad: grad.dataSync() as Float32Array };
    });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const logits = tf.tensor2d(logitsData, [64, 10]);
      const onehot = tf.oneHot(tf.tensor1d(labelsData, 'int32'), 10) as tf.Tensor2D;
      tf.valueAndGrad((x: tf.Tensor) => softmaxCrossEntropy(onehot, x as tf.Tensor2D, smoothing))(logits);
    });
    expect(tf.memory().numTensors).toBe(before);
    return result;
  }

  for (const smoothing of [0, 0.1]) {
    it(`equals tf.losses.softmaxCrossEntropy and its gradient within 1e-6 (label_smoothing ${smoothing})`, () => {
      const fused = lossAndGrad(true, smoothing);
      const composite = lossAndGrad(false, smoothing);
      expect(Math.abs(fused.loss - composite.loss)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(composite.loss)));
      expect(worstMismatch(fused.grad, composite.grad, 1e-6, 1e-7)).toBeUndefined();
    });
  }

  it('runs as two kernels in a LayersClassifier step where the composite loss runs many', async () => {
    const counts: Record<string, string[]> = {};
    for (const fused of [true, false]) {
      useFused(fused);
      const model = new LayersClassifier({ layers: [{ type: 'dense', units: 10, input_shape: [6] }] });
      const samples = labelsData.slice(0, 8).map((gt_label) => ({ gt_label }));
      const x = tf.tensor2d(values(8 * 6, 3), [8, 6]);
      const profile = await tf.profile(() => {
        tf.tidy(() => {
          tf.variableGrads(() => (model.forward(x, samples, 'loss') as { loss_cls: tf.Scalar }).loss_cls);
        });
      });
      counts[String(fused)] = profile.kernels.map((k) => k.name);
      x.dispose();
      model.dispose();
    }
    expect(counts.true.filter((n) => n.startsWith('Trainkit'))).toEqual([FUSED_KERNELS.softmaxCrossEntropy, FUSED_KERNELS.softmaxCrossEntropyGrad]);
    expect(counts.true.length).toBeLessThan(counts.false.length);
  });

  for (const loss of ['categorical_crossentropy', 'sparseCategoricalCrossentropy']) {
    it(`LayersModelWrapper's ${loss} with from_logits runs the fused pair and equals tfjs-layers' compile({loss}) + evaluate`, async () => {
      useFused(true);
      const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 10, kernelInitializer: 'glorotUniform' })] });
      const probs = tf.sequential({ layers: [net, tf.layers.softmax()] });
      const x = tf.tensor2d(values(8 * 6, 5), [8, 6]);
      const labels = labelsData.slice(0, 8);
      const y = loss.startsWith('sparse') ? tf.tensor2d(labels, [8, 1]) : tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
      // tfjs-layers' value: the softmax model compiled with the same loss
      probs.compile({ loss: loss.startsWith('sparse') ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy', optimizer: 'sgd' });
      const expected = tf.tidy(() => (probs.evaluate(x, y) as tf.Scalar).dataSync()[0]);
      const model = new LayersModelWrapper({ network: net, loss, from_logits: true });
      const samples = labels.map((gt_label) => ({ gt_label }));
      const before = tf.memory().numTensors;
      let got = 0;
      const profile = await tf.profile(() => {
        tf.tidy(() => {
          const { value } = tf.variableGrads(() => (model.forward(x, samples, 'loss') as { loss: tf.Scalar }).loss);
          got = value.dataSync()[0];
        });
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(got).toBeCloseTo(expected, 5);
      expect(profile.kernels.map((k) => k.name).filter((n) => n.startsWith('Trainkit'))).toEqual([
        FUSED_KERNELS.softmaxCrossEntropy,
        FUSED_KERNELS.softmaxCrossEntropyGrad,
      ]);
      x.dispose();
      y.dispose();
      // disposes the network, which the softmax model shares
      model.dispose();
    });
  }
});
