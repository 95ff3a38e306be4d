// The CNN experiment logging to Weights & Biases as well. Offline by default (no account needed):
// sync later with `trainkit wandb-sync <run dir>` or `wandb sync`. For live logging set
// WANDB_API_KEY and run with --cfg-options visualizer.vis_backends.2.init_kwargs.mode=online.
import type {} from '@trainkit/vis-wandb';
import { defineConfig } from '@trainkit/core';

export const _base_ = './cnn_fashion-mnist.ts';

export default defineConfig(({ fileBasenameNoExtension }) => ({
  work_dir: `./work_dirs/${fileBasenameNoExtension}`,
  visualizer: {
    type: 'ClsVisualizer',
    vis_backends: [
      { type: 'LocalVisBackend' },
      { type: 'TensorboardVisBackend' },
      { type: 'WandbVisBackend', init_kwargs: { project: 'trainkit-fashion-mnist', mode: 'offline' } },
    ],
  },
}));
