// The Fashion-MNIST data: the committed subset (10,000 train / 2,000 test images) by default;
// point data_root at the full data set where you have it, e.g.
//   --cfg-options train_dataloader.dataset.data_root=/usr/share/datasets/fashion-mnist
import * as path from 'node:path';
import type {} from '@trainkit/tasks';
import { defineConfig } from '@trainkit/core';

export default defineConfig(({ fileDirname }) => {
  const dataRoot = path.resolve(fileDirname, '../../../data');
  return {
    // the dataset type lives in this example package, next to the configs
    custom_imports: { imports: ['../../../src/index.ts'], allow_failed_imports: false },
    // uint8 pixels to the data set's mean/std; the runner gives it to any model that has none
    data_preprocessor: { scale: 1 / 255, mean: [0.286], std: [0.353] },
    train_dataloader: {
      batch_size: 64,
      num_workers: 0,
      sampler: { type: 'DefaultSampler', shuffle: true },
      dataset: { type: 'FashionMNIST', data_root: dataRoot, split: 'train' },
    },
    val_dataloader: {
      batch_size: 256,
      sampler: { type: 'DefaultSampler', shuffle: false },
      dataset: { type: 'FashionMNIST', data_root: dataRoot, split: 'test' },
    },
    test_dataloader: {
      batch_size: 256,
      sampler: { type: 'DefaultSampler', shuffle: false },
      dataset: { type: 'FashionMNIST', data_root: dataRoot, split: 'test' },
    },
    val_evaluator: { type: 'Accuracy', topk: [1, 5] },
    test_evaluator: { type: 'Accuracy', topk: [1, 5] },
  };
});
