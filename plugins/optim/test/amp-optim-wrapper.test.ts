import * as tf from '@tensorflow/tfjs';
import { ConfigError, OPTIM_WRAPPERS } from '@trainkit/core';
import { registerThirdPartyBackend } from '@trainkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { type AmpOptimWrapper, SGD } from '../src/index.js';
import { variable } from './helpers/fixtures.js';
import { captureLogs } from './helpers/logs.js';
import { disposeAll, linearLoss, now } from './helpers/losses.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function amp(w: tf.Variable, opts: Record<string, unknown> = {}): AmpOptimWrapper {
  return OPTIM_WRAPPERS.build<AmpOptimWrapper>({ type: 'AmpOptimWrapper', ...opts }, { optimizer: new SGD({ params: [w], lr: 1 }) }, 'optim_wrapper');
}

describe('AmpOptimWrapper', () => {
  it('is refused, with clip_grad.error_if_nonfinite, on a backend that does not declare the nonFiniteChecks capability', async () => {
    registerThirdPartyBackend('no-step-checks', { syncReads: true, nonFiniteChecks: false });
    await tf.setBackend('no-step-checks');
    const w = variable([0]);
    try {
      const err = (() => {
        try {
          amp(w);
        } catch (e) {
          return e as Error;
        }
      })();
      expect(err).toBeInstanceOf(ConfigError);
      expect(err!.message).toMatch(
        /^optim_wrapper\.type: AmpOptimWrapper checks the gradients for overflow within every step, which the no-step-checks backend does not declare/,
      );
      expect(() =>
        OPTIM_WRAPPERS.build(
          { type: 'OptimWrapper', clip_grad: { max_norm: 1, error_if_nonfinite: true } },
          { optimizer: new SGD({ params: [w], lr: 1 }) },
          'optim_wrapper',
        ),
      ).toThrow(
        /error_if_nonfinite reads the gradient norm within every step, which the no-step-checks backend does not declare it can do \(its nonFiniteChecks capability\)/,
      );
      // loss scaling switched off needs no check: accepted
      amp(w, { loss_scale: { enabled: false } }).dispose();
    } finally {
      w.dispose();
      await tf.setBackend('cpu');
    }
  });

  it('says once that compute stays float32, and scales the loss without changing the update', () => {
    const w = variable([0, 0]);
    let wrapper!: AmpOptimWrapper;
    const lines = captureLogs(() => {
      wrapper = amp(w, { dtype: 'float32' });
    });
    expect(lines.filter((l) => l.includes('compute stays float32'))).toHaveLength(1);
    expect(lines[0]).toMatch(/"cpu" backend.*dynamic loss scaling from 65536/);
    expect(wrapper.lossScaler.scale).toBe(65536);
    disposeAll(wrapper.updateParams(linearLoss(w, [0.5, -0.25])));
    expect([...w.dataSync()]).toEqual([-0.5, 0.25]);
    wrapper.dispose();
    w.dispose();
  });

  it('refuses a reduced-precision dtype, which TensorFlow.js cannot compute in, with the reason', () => {
    const w = variable([0]);
    for (const dtype of ['float16', 'bfloat16', 'float64']) {
      let err: Error | undefined;
      try {
        amp(w, { dtype });
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message).toMatch(
        /^optim_wrapper\.dtype: invalid value for AmpOptimWrapper: TensorFlow\.js has no (?:(?:float16|bfloat16) kernels|float64 tensors) on any backend, so compute cannot run in \w+/,
      );
      expect(err?.message).toContain("Remove dtype (or write 'float32'), or use OptimWrapper");
    }
    w.dispose();
  });

  it('skips the step and halves a dynamic scale on non-finite gradients, grows it after growth_interval', () => {
    const w = variable([1]);
    const wrapper = amp(w, { loss_scale: { init_scale: 1024, growth_interval: 2 } });
    disposeAll(wrapper.updateParams(linearLoss(w, [Number.POSITIVE_INFINITY])));
    expect(w.dataSync()[0]).toBe(1);
    expect(wrapper.skippedSteps).toBe(1);
    expect(wrapper.lossScaler.scale).toBe(512);
    disposeAll(wrapper.updateParams(linearLoss(w, [Number.NaN])));
    expect(wrapper.lossScaler.scale).toBe(256);
    disposeAll(wrapper.updateParams(linearLoss(w, [1])));
    disposeAll(wrapper.updateParams(linearLoss(w, [1])));
    expect(w.dataSync()[0]).toBe(-1);
    expect(wrapper.lossScaler.scale).toBe(512);
    wrapper.dispose();
    w.dispose();
  });

  it('skips overflowing steps with a static scale but keeps the scale', () => {
    const w = variable([1]);
    const wrapper = amp(w, { loss_scale: 512 });
    disposeAll(wrapper.updateParams(linearLoss(w, [Number.POSITIVE_INFINITY])));
    expect([w.dataSync()[0], wrapper.lossScaler.scale, wrapper.skippedSteps]).toEqual([1, 512, 1]);
    // a finite gradient that overflows only once scaled (3e38 * 512) is caught the same way
    disposeAll(wrapper.updateParams(linearLoss(w, [3e38])));
    expect(wrapper.skippedSteps).toBe(2);
    wrapper.dispose();
    w.dispose();
  });

  it('clips the unscaled gradients and reports their norm', () => {
    const w = variable([0, 0]);
    const wrapper = amp(w, { clip_grad: { max_norm: 1 } });
    const logVars = now(wrapper.updateParams(linearLoss(w, [3, 4])));
    expect(logVars.grad_norm.dataSync()[0]).toBeCloseTo(5, 5);
    expect(w.dataSync()[0]).toBeCloseTo(-0.6, 5);
    disposeAll(logVars);
    wrapper.dispose();
    w.dispose();
  });

  it('keeps the loss scaler in its state dict', () => {
    const w = variable([1]);
    const a = amp(w, { loss_scale: { init_scale: 1024 } });
    disposeAll(a.updateParams(linearLoss(w, [Number.POSITIVE_INFINITY])));
    const saved = JSON.parse(JSON.stringify({ ...a.stateDict(), state: {} }));
    expect(saved.loss_scaler).toEqual({ scale: 512, growth_factor: 2, backoff_factor: 0.5, growth_interval: 2000, _growth_tracker: 0 });
    const b = amp(w);
    b.loadStateDict(saved);
    expect(b.lossScaler.scale).toBe(512);
    a.dispose();
    b.dispose();
    w.dispose();
  });
});
