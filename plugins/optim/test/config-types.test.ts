import { type TrainkitConfig, defineConfig } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

/**
 * Compile-time checks of the config types this package adds to core's maps: `tsc` (the package
 * typecheck) fails if a valid config stops type-checking or an invalid one starts to.
 */
const valid = defineConfig({
  optim_wrapper: {
    type: 'AmpOptimWrapper',
    optimizer: { type: 'AdamW', lr: 1e-3, betas: [0.9, 0.95], weight_decay: 0.05 },
    clip_grad: { max_norm: 1, norm_type: 'inf' },
    accumulative_counts: 2,
    loss_scale: { init_scale: 1024 },
  },
  param_scheduler: [
    { type: 'LinearLR', start_factor: 0.001, by_epoch: false, begin: 0, end: 500 },
    { type: 'CosineAnnealingLR', T_max: 90, eta_min_ratio: 0.01, convert_to_iter_based: true },
    { type: 'CosineAnnealingMomentum', T_max: 90, eta_min: 0.85 },
    { type: 'LinearParamScheduler', param_name: 'weight_decay', start_factor: 0.5 },
    { type: 'ReduceOnPlateauLR', monitor: 'loss', patience: 3 },
  ],
  custom_hooks: [{ type: 'ParamSchedulerHook', priority: 'LOW' }],
});

/** The README's example. */
const readme = defineConfig({
  optim_wrapper: {
    type: 'OptimWrapper',
    optimizer: { type: 'AdamW', lr: 1e-3, betas: [0.9, 0.999], weight_decay: 0.05 },
    clip_grad: { max_norm: 1.0, norm_type: 2 },
    accumulative_counts: 2,
    paramwise_cfg: { norm_decay_mult: 0, bias_decay_mult: 0, custom_keys: { '.cls_token': { decay_mult: 0 }, head: { lr_mult: 10 } } },
  },
  param_scheduler: [
    { type: 'LinearLR', start_factor: 1e-3, by_epoch: false, begin: 0, end: 500 },
    { type: 'CosineAnnealingLR', T_max: 95, eta_min_ratio: 1e-2, begin: 5, end: 100, convert_to_iter_based: true },
  ],
  auto_scale_lr: { base_batch_size: 256, enable: false },
});

const invalid: TrainkitConfig[] = [
  // @ts-expect-error a misspelt scheduler option
  { param_scheduler: [{ type: 'LinearLR', start_factr: 0.1 }] },
  // @ts-expect-error betas are a pair
  { optim_wrapper: { type: 'OptimWrapper', optimizer: { type: 'Adam', betas: [0.9] } } },
  // @ts-expect-error SGD has no betas
  { optim_wrapper: { type: 'OptimWrapper', optimizer: { type: 'SGD', lr: 0.1, betas: [0.9, 0.99] } } },
  // @ts-expect-error the generic scheduler needs param_name
  { param_scheduler: [{ type: 'ExponentialParamScheduler', gamma: 0.9 }] },
];

describe('config types', () => {
  it('are checked by the package typecheck (this file only has to compile)', () => {
    expect(valid.param_scheduler).toHaveLength(5);
    expect(readme.param_scheduler).toHaveLength(2);
    expect(invalid).toHaveLength(4);
  });
});
