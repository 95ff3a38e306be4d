// A small MLP regressing diabetes progression from ten baseline measurements (seconds on a CPU).
import type {} from '@trainkit/hook-checkpoint';
import type {} from '@trainkit/hook-logger';
import type {} from '@trainkit/optim';
import type {} from '@trainkit/tasks';
import { defineConfig } from '@trainkit/core';

export default defineConfig(({ fileBasenameNoExtension }) => ({
  work_dir: `./work_dirs/${fileBasenameNoExtension}`,
  // the dataset type lives in this example package
  custom_imports: { imports: ['../src/index.ts'], allow_failed_imports: false },
  model: {
    type: 'LayersModelWrapper',
    input_shape: [10],
    layers: [
      { type: 'dense', units: 16, activation: 'relu' },
      { type: 'dropout', rate: 0.1 },
      // starts at the training mean (152) so the first epochs learn the shape, not the offset
      { type: 'dense', units: 1, bias_initializer: { className: 'Constant', config: { value: 152 } } },
    ],
    loss: 'meanSquaredError',
  },
  train_dataloader: { batch_size: 32, sampler: { type: 'DefaultSampler', shuffle: true }, dataset: { type: 'DiabetesDataset', split: 'train' } },
  val_dataloader: { batch_size: 128, sampler: { type: 'DefaultSampler', shuffle: false }, dataset: { type: 'DiabetesDataset', split: 'test' } },
  test_dataloader: { batch_size: 128, sampler: { type: 'DefaultSampler', shuffle: false }, dataset: { type: 'DiabetesDataset', split: 'test' } },
  val_evaluator: [{ type: 'MAE' }, { type: 'RMSE' }],
  test_evaluator: [{ type: 'MAE' }, { type: 'RMSE' }],
  optim_wrapper: { type: 'OptimWrapper', optimizer: { type: 'Adam', lr: 0.01 } },
  param_scheduler: [{ type: 'CosineAnnealingLR', by_epoch: true, begin: 0, end: 200, eta_min: 1e-4 }],
  train_cfg: { by_epoch: true, max_epochs: 200, val_interval: 20 },
  val_cfg: {},
  test_cfg: {},
  default_hooks: {
    logger: { type: 'LoggerHook', interval: 12 },
    checkpoint: { type: 'CheckpointHook', interval: 50, max_keep_ckpts: 2, save_best: 'regression/mae', rule: 'less' },
  },
  env_cfg: { backend: 'cpu' },
  randomness: { seed: 0 },
}));
