// A small CNN on Fashion-MNIST (needs the wasm training kernels of @trainkit/backend-wasm).
import { defineConfig } from '@trainkit/core';

export const _base_ = ['./_base_/datasets/fashion_mnist.ts', './_base_/schedules/adam_5e.ts', './_base_/default_runtime.ts'];

export default defineConfig(({ fileBasenameNoExtension }) => ({
  work_dir: `./work_dirs/${fileBasenameNoExtension}`,
  model: {
    type: 'LayersClassifier',
    layers: [
      { type: 'conv2d', input_shape: [28, 28, 1], filters: 32, kernel_size: 3, activation: 'relu', padding: 'same' },
      { type: 'maxPooling2d', pool_size: 2 },
      { type: 'conv2d', filters: 64, kernel_size: 3, activation: 'relu', padding: 'same' },
      { type: 'maxPooling2d', pool_size: 2 },
      { type: 'flatten' },
      { type: 'dropout', rate: 0.25 },
      { type: 'dense', units: 128, activation: 'relu' },
    ],
    num_classes: 10,
  },
}));
