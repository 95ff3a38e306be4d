/**
 * Top-level keys of MMCV / OpenMMLab 0.x configs that MMEngine replaced, each with what to write
 * instead (MMEngine's migration guide: docs/en/migration/runner.md, param_scheduler.md, hook.md).
 * A half-migrated config would otherwise train with defaults: `total_epochs: 3` is not
 * `train_cfg.max_epochs`.
 */
export interface LegacyKey {
  /** What MMEngine (and trainkit) use instead. */
  replacement: string;
  /** How to write it, as a short example. */
  example: string;
}

export const LEGACY_KEYS: Record<string, LegacyKey> = {
  checkpoint_config: {
    replacement: 'default_hooks.checkpoint',
    example: "default_hooks: { checkpoint: { type: 'CheckpointHook', interval: 1 } }",
  },
  log_config: {
    replacement: 'default_hooks.logger (interval) and log_processor; logger backends (TextLoggerHook, TensorboardLoggerHook) become visualizer.vis_backends',
    example: "default_hooks: { logger: { type: 'LoggerHook', interval: 50 } }, visualizer: { vis_backends: [{ type: 'LocalVisBackend' }] }",
  },
  evaluation: {
    replacement: 'val_cfg + val_dataloader + val_evaluator (metric), train_cfg.val_interval (interval) and default_hooks.checkpoint.save_best (save_best)',
    example: "val_cfg: {}, val_evaluator: { type: 'Accuracy' }, train_cfg: { by_epoch: true, max_epochs: 12, val_interval: 1 }",
  },
  workflow: {
    replacement: 'train_cfg (training) and val_cfg (validation every train_cfg.val_interval); there is no workflow list',
    example: 'train_cfg: { by_epoch: true, max_epochs: 12, val_interval: 1 }, val_cfg: {}',
  },
  total_epochs: { replacement: 'train_cfg.max_epochs', example: 'train_cfg: { by_epoch: true, max_epochs: 12 }' },
  total_iters: { replacement: 'train_cfg.max_iters', example: 'train_cfg: { by_epoch: false, max_iters: 10000 }' },
  runner: {
    replacement:
      "train_cfg: type EpochBasedRunner is by_epoch: true (or type 'EpochBasedTrainLoop'), IterBasedRunner is by_epoch: false; max_epochs/max_iters move with it",
    example: 'train_cfg: { by_epoch: true, max_epochs: 12, val_interval: 1 }',
  },
  dist_params: { replacement: 'env_cfg.dist_cfg', example: "env_cfg: { dist_cfg: { backend: 'gloo' } }" },
  optimizer: {
    replacement: 'optim_wrapper.optimizer (constructor and paramwise_cfg move to optim_wrapper too)',
    example: "optim_wrapper: { type: 'OptimWrapper', optimizer: { type: 'SGD', lr: 0.01, momentum: 0.9 } }",
  },
  optimizer_config: {
    replacement:
      'optim_wrapper: grad_clip is optim_wrapper.clip_grad, GradientCumulativeOptimizerHook cumulative_iters is optim_wrapper.accumulative_counts, Fp16OptimizerHook is optim_wrapper.type AmpOptimWrapper',
    example: "optim_wrapper: { type: 'OptimWrapper', optimizer: {...}, clip_grad: { max_norm: 35 }, accumulative_counts: 1 }",
  },
  fp16: {
    replacement: "optim_wrapper.type 'AmpOptimWrapper' (loss_scale moves with it)",
    example: "optim_wrapper: { type: 'AmpOptimWrapper', loss_scale: 'dynamic', optimizer: {...} }",
  },
  lr_config: {
    replacement: 'param_scheduler (warmup is a separate LinearLR/ConstantLR entry with begin/end; policy step is MultiStepLR, cosine CosineAnnealingLR, ...)',
    example:
      "param_scheduler: [{ type: 'LinearLR', start_factor: 0.001, by_epoch: false, begin: 0, end: 500 }, { type: 'MultiStepLR', milestones: [8, 11], gamma: 0.1 }]",
  },
  momentum_config: {
    replacement: 'param_scheduler with momentum schedulers (CosineAnnealingMomentum, MultiStepMomentum, ...)',
    example: "param_scheduler: [{ type: 'CosineAnnealingMomentum', T_max: 12 }]",
  },
  resume_from: { replacement: 'load_from with resume: true', example: "load_from: 'work_dirs/run/epoch_3.ckpt', resume: true" },
  auto_resume: { replacement: 'resume: true without load_from (resumes from the latest checkpoint in work_dir)', example: 'resume: true' },
  data: {
    replacement:
      "train_dataloader / val_dataloader / test_dataloader (samples_per_gpu is batch_size, workers_per_gpu is num_workers; train/val/test become each loader's dataset)",
    example: "train_dataloader: { batch_size: 32, num_workers: 2, sampler: { type: 'DefaultSampler', shuffle: true }, dataset: {...} }",
  },
  opencv_num_threads: { replacement: 'env_cfg.mp_cfg.opencv_num_threads', example: 'env_cfg: { mp_cfg: { opencv_num_threads: 0 } }' },
  mp_start_method: { replacement: 'env_cfg.mp_cfg.mp_start_method', example: "env_cfg: { mp_cfg: { mp_start_method: 'fork' } }" },
  cudnn_benchmark: { replacement: 'env_cfg.cudnn_benchmark', example: 'env_cfg: { cudnn_benchmark: false }' },
  gpu_ids: { replacement: 'nothing: the device is chosen by env_cfg.backend, distributed runs by launcher', example: "env_cfg: { backend: 'wasm' }" },
  seed: { replacement: 'randomness.seed', example: 'randomness: { seed: 42 }' },
  deterministic: { replacement: 'randomness.deterministic', example: 'randomness: { seed: 42, deterministic: true }' },
};

/** MMCV's runner type names, which MMEngine replaced with train loops. */
export const LEGACY_RUNNER_TYPES: Record<string, string> = {
  EpochBasedRunner: "by_epoch: true (or type: 'EpochBasedTrainLoop')",
  IterBasedRunner: "by_epoch: false (or type: 'IterBasedTrainLoop')",
};
