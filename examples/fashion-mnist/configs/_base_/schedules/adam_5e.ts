// Adam for 5 epochs: a short linear warm-up by iteration, then cosine decay by epoch.
import { defineConfig } from '@trainkit/core';

export default defineConfig({
  optim_wrapper: { type: 'OptimWrapper', optimizer: { type: 'Adam', lr: 1e-3, weight_decay: 0 } },
  param_scheduler: [
    { type: 'LinearLR', start_factor: 0.1, by_epoch: false, begin: 0, end: 100 },
    { type: 'CosineAnnealingLR', by_epoch: true, begin: 0, end: 5, eta_min: 1e-5 },
  ],
  train_cfg: { by_epoch: true, max_epochs: 5, val_interval: 1 },
  val_cfg: {},
  test_cfg: {},
  // lr is tuned for batch 64; set enable: true to scale it with another batch size
  auto_scale_lr: { base_batch_size: 64, enable: false },
});
