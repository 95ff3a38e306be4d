// Runtime settings shared by the Fashion-MNIST experiments, spelled out as in MMEngine's docs.
import type {} from '@trainkit/hook-checkpoint';
import type {} from '@trainkit/hook-ema';
import type {} from '@trainkit/hook-logger';
import type {} from '@trainkit/hook-visualization';
import type {} from '@trainkit/optim';
import type {} from '@trainkit/tasks';
import type {} from '@trainkit/vis-tensorboard';
import { defineConfig } from '@trainkit/core';

export default defineConfig({
  default_hooks: {
    runtime_info: { type: 'RuntimeInfoHook' },
    timer: { type: 'IterTimerHook' },
    sampler_seed: { type: 'DistSamplerSeedHook' },
    logger: { type: 'LoggerHook', interval: 50 },
    param_scheduler: { type: 'ParamSchedulerHook' },
    // keep the 3 newest epoch checkpoints, and the best one by the first metric (accuracy/top1)
    checkpoint: { type: 'CheckpointHook', interval: 1, max_keep_ckpts: 3, save_best: 'auto' },
    // draw ground truth and prediction on every 250th validation image
    visualization: { type: 'VisualizationHook', enable: true, interval: 250, rescale_factor: 4 },
  },
  // momentum is the weight of the new value (MMEngine's meaning); 0.01 averages about the last 100 iterations
  custom_hooks: [{ type: 'EMAHook', momentum: 0.01, priority: 'ABOVE_NORMAL' }],
  env_cfg: { backend: 'wasm', num_threads: 2 },
  log_processor: { type: 'LogProcessor', window_size: 20, by_epoch: true },
  visualizer: {
    type: 'ClsVisualizer',
    vis_backends: [{ type: 'LocalVisBackend' }, { type: 'TensorboardVisBackend' }],
  },
  log_level: 'INFO',
  load_from: null,
  resume: false,
  randomness: { seed: 0, deterministic: false },
});
