import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { OptimWrapper, SGD } from '../src/index.js';
import { buildWrapper, variable } from './helpers/fixtures.js';
import { captureLogs } from './helpers/logs.js';
import { disposeAll, linearLoss, now } from './helpers/losses.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function sgd(w: tf.Variable, extra: Record<string, unknown> = {}): OptimWrapper {
  return new OptimWrapper({ optimizer: new SGD({ params: [w], lr: 1 }), ...extra });
}

describe('gradient accumulation (seed 35)', () => {
  it('divides the loss by 3 for iterations 1-9 and by 1 for the 10th, stepping after 3, 6, 9, 10', () => {
    const w = variable([0]);
    const wrapper = sgd(w, { accumulative_counts: 3 });
    wrapper.initializeCountStatus(undefined, 0, 10);
    const factors: number[] = [];
    const values: number[] = [];
    for (let it = 1; it <= 10; it++) {
      factors.push(wrapper.lossFactor());
      const logVars = now(wrapper.updateParams(linearLoss(w, [1])));
      expect(logVars.loss.dataSync()[0]).toBe(0 + (values.at(-1) ?? 0));
      disposeAll(logVars);
      values.push(w.dataSync()[0]);
    }
    expect(factors).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 1]);
    expect(values.map((v) => Number(v.toFixed(6)))).toEqual([0, 0, -1, -1, -1, -2, -2, -2, -3, -4]);
    wrapper.dispose();
    w.dispose();
  });

  it('warns when resuming inside a window and when the model has batch norm', () => {
    const w = variable([0]);
    const wrapper = sgd(w, { accumulative_counts: 3 });
    const model = { parameterInfo: () => [{ name: 'bn.gamma', variable: w, module: 'BatchNormalization', shortName: 'gamma', trainable: true }] };
    const lines = captureLogs(() => wrapper.initializeCountStatus(model, 4, 10));
    expect(lines.some((l) => l.includes('WARNING') && l.includes('Resumed iteration number is not divisible by `accumulative_counts`'))).toBe(true);
    expect(lines.some((l) => l.includes('Gradient accumulative may slightly decrease performance because the model has BatchNorm layers.'))).toBe(true);
    expect(wrapper.shouldSync()).toBe(false);
    wrapper.dispose();
    w.dispose();
  });

  it('without initializeCountStatus divides by the window size throughout', () => {
    const w = variable([0]);
    const wrapper = sgd(w, { accumulative_counts: 4 });
    expect(wrapper.lossFactor()).toBe(4);
    wrapper.dispose();
    w.dispose();
  });
});

describe('gradient clipping', () => {
  const c = [3, -4, 12];
  const norm2 = 13;

  it('clips by the total 2-norm and returns grad_norm first in the log vars', () => {
    const w = variable([0, 0, 0]);
    const wrapper = sgd(w, { clip_grad: { max_norm: 1 } });
    const logVars = now(wrapper.updateParams(linearLoss(w, c)));
    expect(Object.keys(logVars)).toEqual(['grad_norm', 'loss', 'loss_aux']);
    expect(logVars.grad_norm.dataSync()[0]).toBeCloseTo(norm2, 5);
    const coef = 1 / (norm2 + 1e-6);
    expect([...w.dataSync()].map((v) => Number(v.toFixed(6)))).toEqual(c.map((x) => Number((-x * coef).toFixed(6))));
    disposeAll(logVars);
    wrapper.dispose();
    w.dispose();
  });

  it('uses the norm of the per-tensor norms across several parameters, for any order and inf', () => {
    const a = variable([3, 4]);
    const b = variable([12]);
    const cases: Array<[number | string, number]> = [
      [2, 13],
      [1, 19],
      ['inf', 12],
      [Number.POSITIVE_INFINITY, 12],
      [3, (27 + 64 + 1728) ** (1 / 3)],
    ];
    for (const [normType, want] of cases) {
      const wrapper = new OptimWrapper({ optimizer: new SGD({ params: [a, b], lr: 0 }), clip_grad: { max_norm: 100, norm_type: normType as number } });
      const logVars = now(
        wrapper.updateParams(() => {
          const loss = tf.add(tf.sum(tf.mul(a, tf.tensor([3, 4]))), tf.sum(tf.mul(b, tf.tensor([12])))) as tf.Scalar;
          return { loss, logVars: { loss } };
        }),
      );
      expect(logVars.grad_norm.dataSync()[0], `norm_type ${normType}`).toBeCloseTo(want, 4);
      disposeAll(logVars);
      wrapper.dispose();
    }
    a.dispose();
    b.dispose();
  });

  it('clips values with type value and records nothing, and accepts grad_clip as the old name', () => {
    const w = variable([0, 0, 0]);
    const wrapper = sgd(w, { grad_clip: { type: 'value', clip_value: 5 } });
    const logVars = now(wrapper.updateParams(linearLoss(w, c)));
    expect(Object.keys(logVars)).toEqual(['loss', 'loss_aux']);
    expect([...w.dataSync()]).toEqual([-3, 4, -5]);
    disposeAll(logVars);
    wrapper.dispose();
    w.dispose();
  });

  it('raises on a non-finite norm when error_if_nonfinite is set', () => {
    const w = variable([0]);
    const wrapper = sgd(w, { clip_grad: { max_norm: 1, error_if_nonfinite: true } });
    expect(() => wrapper.updateParams(linearLoss(w, [Number.POSITIVE_INFINITY]))).toThrow(/non-finite/);
    wrapper.dispose();
    w.dispose();
  });
});

describe('lr, momentum and state of the wrapper', () => {
  it('reports lr and momentum per group (betas[0] for Adam) and keeps defaults', () => {
    const a = variable([1]);
    const b = variable([2]);
    const wrapper = buildWrapper({ optimizer: { type: 'Adam', lr: 0.01, weight_decay: 0.1 } }, { 'x.weight': a, 'x.bias': b }, { bias_lr_mult: 2 });
    expect(wrapper.getLr()).toEqual({ base_lr: [0.01], lr: [0.01, 0.02] });
    expect(wrapper.getMomentum()).toEqual({ momentum: [0.9, 0.9] });
    expect(wrapper.defaults.eps).toBe(1e-8);
    const sd = wrapper.stateDict();
    expect(sd.base_param_settings).toMatchObject({ lr: 0.01, betas: [0.9, 0.999], weight_decay: 0.1 });
    expect(String(wrapper)).toContain('Type: OptimWrapper\n_accumulative_counts: 1\noptimizer: \nAdam');
    const saved = JSON.parse(JSON.stringify(sd));
    saved.base_param_settings.lr = 0.5;
    wrapper.loadStateDict(saved);
    expect(wrapper.getLr().base_lr).toEqual([0.5]);
    wrapper.dispose();
    a.dispose();
    b.dispose();
  });

  it('skips parameters that get no gradient, as PyTorch skips p.grad None', () => {
    const a = variable([1]);
    const unused = variable([5]);
    const wrapper = new OptimWrapper({ optimizer: new SGD({ params: [a, unused], lr: 1, momentum: 0.9 }) });
    disposeAll(wrapper.updateParams(linearLoss(a, [1])));
    expect(unused.dataSync()[0]).toBe(5);
    expect(wrapper.optimizer.state.has(unused)).toBe(false);
    expect(Object.keys(wrapper.stateDict().state as object)).toEqual(['0']);
    wrapper.dispose();
    a.dispose();
    unused.dispose();
  });

  it('backward, step and zeroGrad compose like updateParams for custom train steps', () => {
    const w = variable([0]);
    const wrapper = sgd(w);
    disposeAll(wrapper.backward(linearLoss(w, [2])));
    disposeAll(wrapper.backward(linearLoss(w, [3])));
    wrapper.step();
    wrapper.zeroGrad();
    expect(w.dataSync()[0]).toBe(-5);
    expect(wrapper.step()).toBeUndefined();
    wrapper.dispose();
    w.dispose();
  });
});

describe('failures leave nothing behind', () => {
  it('a loss that is not a scalar, or a failing step, frees the kept log vars and pending gradients', () => {
    const w = variable([1, 2]);
    const wrapper = sgd(w, { clip_grad: { max_norm: 1, error_if_nonfinite: true } });
    const before = tf.memory().numTensors;
    expect(() =>
      wrapper.updateParams(() => {
        const loss = tf.mul(w, 2) as unknown as tf.Scalar;
        return { loss, logVars: { loss } };
      }),
    ).toThrow(/scalar/);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => wrapper.updateParams(linearLoss(w, [Number.NaN, 1]))).toThrow(/non-finite/);
    expect(tf.memory().numTensors).toBe(before);
    disposeAll(wrapper.updateParams(linearLoss(w, [0.3, 0.4])));
    expect([...w.dataSync()].map((v) => Number(v.toFixed(5)))).toEqual([0.7, 1.6]);
    wrapper.dispose();
    w.dispose();
  });
});

describe('building', () => {
  it("wraps an optimizer the caller built, as MMEngine's runner does", () => {
    const w = variable([1]);
    const optimizer = new SGD({ params: [w], lr: 0.5 });
    const wrapper = buildWrapper({ optimizer, accumulative_counts: 2 }, [w]);
    expect(wrapper.optimizer).toBe(optimizer);
    expect(wrapper.accumulativeCounts).toBe(2);
    wrapper.dispose();
    w.dispose();
  });
});

describe('frozen variables', () => {
  it('are skipped while frozen and trained again once unfrozen', () => {
    const a = variable([1]);
    const b = variable([1]);
    const wrapper = new OptimWrapper({ optimizer: new SGD({ params: [a, b], lr: 1 }) });
    const loss = () => {
      const l = tf.add(tf.sum(a), tf.sum(b)) as tf.Scalar;
      return { loss: l, logVars: { loss: l } };
    };
    b.trainable = false;
    disposeAll(wrapper.updateParams(loss));
    expect([a.dataSync()[0], b.dataSync()[0]]).toEqual([0, 1]);
    b.trainable = true;
    disposeAll(wrapper.updateParams(loss));
    expect([a.dataSync()[0], b.dataSync()[0]]).toEqual([-1, 0]);
    wrapper.dispose();
    a.dispose();
    b.dispose();
  });
});
