// The fused optimizer shaders of @trainkit/backend-webgpu, driven by @trainkit/optim through core's
// kernel contract, on a real WebGPU adapter (a GPU, or Mesa's lavapipe on a CPU machine).
import '@trainkit/optim';
import * as tf from '@tensorflow/tfjs';
import { hasWebGpuAdapter, useFusedKernels } from '@trainkit/backend-webgpu';
import { FUSED_KERNELS, setupBackend } from '@trainkit/core/backend';
import { LayersClassifier, softmaxCrossEntropy } from '@trainkit/tasks';
import { OPTIMIZERS } from '@trainkit/core';
import type { Optimizer, ParamGroupInput } from '@trainkit/optim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimizerCases, seededValues as values, worstMismatch } from '../support/reference.js';

const hasAdapter = await hasWebGpuAdapter();

const FUSED_TYPES: Record<string, string> = {
  SGD: FUSED_KERNELS.sgd,
  Adam: FUSED_KERNELS.adam,
  AdamW: FUSED_KERNELS.adam,
  RMSprop: FUSED_KERNELS.rmsprop,
  Adagrad: FUSED_KERNELS.adagrad,
};

describe.runIf(hasAdapter)('fused optimizer and loss shaders on webgpu', () => {
  beforeAll(async () => {
    await setupBackend({ backend: 'webgpu' });
  });
  afterAll(async () => {
    useFusedKernels(true);
    await tf.setBackend('cpu');
  });

  for (const { name, data } of optimizerCases().filter(({ data }) => data.optimizer.type in FUSED_TYPES)) {
    it(`PyTorch trajectory ${name}: ${JSON.stringify(data.optimizer)}`, async () => {
      useFusedKernels(true);
      const vars = new Map<string, tf.Variable>();
      for (const [n, p] of Object.entries(data.params)) vars.set(n, tf.variable(tf.tensor(p.data, p.shape, 'float32'), true, `gpu_${name}_${n}`));
      const groups: ParamGroupInput[] = data.param_groups.map(({ params, ...over }) => ({ ...over, params: params.map((n) => vars.get(n)!) }));
      const optimizer = OPTIMIZERS.build<Optimizer>(data.optimizer, { params: groups }, 'optimizer');
      const counts: number[] = [];
      try {
        for (const [k, grads] of data.grads.entries()) {
          const map = new Map<tf.Variable, tf.Tensor>();
          for (const [n, g] of Object.entries(grads)) map.set(vars.get(n)!, tf.tensor(g, vars.get(n)!.shape, 'float32'));
          const profile = await tf.profile(() => optimizer.step(map));
          tf.dispose([...map.values()]);
          const names = profile.kernels.map((kernel) => kernel.name).filter((n) => k > 0 || !['Fill', 'ZerosLike'].includes(n));
          expect(names, `step ${k + 1}`).toEqual(Object.keys(grads).map(() => FUSED_TYPES[data.optimizer.type]));
          counts.push(tf.memory().numTensors);
          for (const [n, want] of Object.entries(data.expected[k])) {
            expect(worstMismatch(await vars.get(n)!.data(), want, 1e-5, 1e-6), `step ${k + 1}, ${n}`).toBeUndefined();
          }
        }
        expect(new Set(counts.slice(1)).size, `tf.memory().numTensors after each step: ${counts}`).toBe(1);
      } finally {
        optimizer.dispose();
        for (const v of vars.values()) v.dispose();
      }
    });
  }

  const variants: Array<Record<string, unknown>> = [
    { type: 'SGD', lr: 0.1, weight_decay: 0.01, maximize: true },
    { type: 'SGD', lr: 0.1, momentum: 0.9, dampening: 0.3, weight_decay: 0.01 },
    { type: 'SGD', lr: 0.1, momentum: 0.9, nesterov: true, maximize: true },
    { type: 'Adam', lr: 0.01, weight_decay: 0.01, maximize: true },
    { type: 'AdamW', lr: 0.01, weight_decay: 0.1, amsgrad: true },
    { type: 'RMSprop', lr: 0.01, momentum: 0.5, centered: true, weight_decay: 0.01, maximize: true },
    { type: 'Adagrad', lr: 0.1, lr_decay: 0.1, initial_accumulator_value: 0.2, maximize: true },
  ];

  /** Weights after 4 steps of `cfg` on fixed gradients, and the kernels the last step ran. */
  async function train(cfg: Record<string, unknown>, fused: boolean): Promise<{ weights: Float32Array[]; kernels: number }> {
    useFusedKernels(fused);
    // a parameter whose size is not a multiple of the workgroup, one of several workgroups, a scalar
    const shapes = [[33, 17], [17], [5, 3, 2], []];
    const vars = shapes.map((s, i) => tf.variable(tf.tensor(values(tf.util.sizeFromShape(s), i + 1), s)));
    const optimizer = OPTIMIZERS.build<Optimizer>(cfg as { type: string }, { params: vars }, 'optimizer');
    let kernels = 0;
    try {
      for (let step = 0; step < 4; step++) {
        const grads = new Map(vars.map((v, i) => [v, tf.tensor(values(v.size, 100 * step + i), v.shape)] as const));
        kernels = (await tf.profile(() => optimizer.step(grads))).kernels.length;
        tf.dispose([...grads.values()]);
      }
      return { weights: (await Promise.all(vars.map((v) => v.data()))) as Float32Array[], kernels };
    } finally {
      optimizer.dispose();
      tf.dispose(vars);
    }
  }

  for (const cfg of variants) {
    it(`equals the composite ops in fewer kernels: ${JSON.stringify(cfg)}`, async () => {
      const fused = await train(cfg, true);
      const composite = await train(cfg, false);
      fused.weights.forEach((w, i) => {
        expect(worstMismatch(w, composite.weights[i], 1e-5, 1e-6), `parameter ${i}`).toBeUndefined();
      });
      expect(fused.kernels).toBe(4);
      expect(composite.kernels).toBeGreaterThan(2 * fused.kernels);
    });
  }

  it('a state tensor of the wrong shape is an error naming it', () => {
    useFusedKernels(true);
    const p = tf.variable(tf.zeros([3]));
    const g = tf.zeros([4]);
    expect(() =>
      tf.engine().runKernel(FUSED_KERNELS.sgd, { param: p, grad: g }, { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }),
    ).toThrow(/"grad" has shape \[4\], the parameter \[3\]/);
    tf.dispose([p, g]);
  });

  // a batch of 70 rows (two workgroups), 13 classes, logits spread wide enough to test the max shift
  const logitsData = values(70 * 13, 7).map((v) => v * 30);
  const labelsData = Array.from({ length: 70 }, (_, i) => (i * 7) % 13);

  async function lossAndGrad(fused: boolean, smoothing: number): Promise<{ loss: number; grad: Float32Array; leaked: number }> {
    useFusedKernels(fused);
    const run = () =>
      tf.tidy(() => {
        const logits = tf.tensor2d(logitsData, [70, 13]);
        const onehot = tf.oneHot(tf.tensor1d(labelsData, 'int32'), 13) as tf.Tensor2D;
        const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => softmaxCrossEntropy(onehot, x as tf.Tensor2D, smoothing))(logits);
        return [value, grad];
      });
    const [value, grad] = run();
    const result = { loss: (await value.data())[0], grad: (await grad.data()) as Float32Array };
    tf.dispose([value, grad]);
    const before = tf.memory().numTensors;
    tf.dispose(run());
    return { ...result, leaked: tf.memory().numTensors - before };
  }

  for (const smoothing of [0, 0.1]) {
    it(`softmax cross-entropy and its gradient equal tfjs's composite ops (label_smoothing ${smoothing})`, async () => {
      const fused = await lossAndGrad(true, smoothing);
      const composite = await lossAndGrad(false, smoothing);
      expect(Math.abs(fused.loss - composite.loss)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(composite.loss)));
      expect(worstMismatch(fused.grad, composite.grad, 1e-5, 1e-7)).toBeUndefined();
      expect(fused.leaked).toBe(0);
    });
  }

  it('a LayersClassifier step runs the loss as two kernels where the composite loss runs many', async () => {
    const counts: Record<string, string[]> = {};
    for (const fused of [true, false]) {
      useFusedKernels(fused);
      const model = new LayersClassifier({ layers: [{ type: 'dense', units: 10, input_shape: [6] }] });
      const samples = labelsData.slice(0, 8).map((gt_label) => ({ gt_label: gt_label % 10 }));
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
});
