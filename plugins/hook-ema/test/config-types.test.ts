import { type HookConfig, defineConfig } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

// Compile-time checks: the package typecheck (tsc) fails if these configs stop type-checking or
// if a @ts-expect-error line starts to pass.
describe('typed EMAHook configs', () => {
  it('accepts MMEngine-style configs', () => {
    const cfg = defineConfig({
      custom_hooks: [
        { type: 'EMAHook', momentum: 4e-5, priority: 'ABOVE_NORMAL' },
        { type: 'EMAHook', ema_type: 'MomentumAnnealingEMA', momentum: 0.01, gamma: 100, begin_epoch: 1 },
        { type: 'EMAHook', ema_type: 'StochasticWeightAverage', interval: 2, strict_load: true, run_before: ['CheckpointHook'] },
      ],
    });
    expect(cfg.custom_hooks).toHaveLength(3);
  });

  it('rejects options of the wrong type or of another averaged model', () => {
    // @ts-expect-error momentum is a number
    const wrongType: HookConfig = { type: 'EMAHook', momentum: '0.1' };
    // @ts-expect-error gamma is an option of MomentumAnnealingEMA only
    const otherModel: HookConfig = { type: 'EMAHook', ema_type: 'StochasticWeightAverage', gamma: 2 };
    // @ts-expect-error a typo is not an option of any averaged model
    const typo: HookConfig = { type: 'EMAHook', momentom: 0.1 };
    expect([wrongType, otherModel, typo]).toHaveLength(3);
  });
});
