// A two-layer MLP on Fashion-MNIST: the demo (about a minute on 2 CPU cores with wasm).
import { defineConfig } from '@trainkit/core';

export const _base_ = ['./_base_/datasets/fashion_mnist.ts', './_base_/schedules/adam_5e.ts', './_base_/default_runtime.ts'];

export default defineConfig(({ fileBasenameNoExtension }) => ({
  work_dir: `./work_dirs/${fileBasenameNoExtension}`,
  model: {
    type: 'LayersClassifier',
    layers: [
      { type: 'flatten', input_shape: [28, 28, 1] },
      { type: 'dense', units: 256, activation: 'relu' },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 128, activation: 'relu' },
    ],
    num_classes: 10,
  },
}));
