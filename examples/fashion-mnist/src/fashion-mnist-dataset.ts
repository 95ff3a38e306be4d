import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, type DataItem, type Dataset, z } from '@trainkit/core';
import { defineOptions } from '@trainkit/core';
import { readIdx } from './idx.js';

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

export const fashionMnistOptions = defineOptions({
  /** Folder with the four IDX files (gzipped or not), e.g. /usr/share/datasets/fashion-mnist. */
  data_root: z.string(),
  split: z.enum(['train', 'test']).default('train'),
  /** Use only the first N samples. */
  max_samples: z.number().int().positive().optional(),
});

export type FashionMnistOptions = z.input<typeof fashionMnistOptions>;

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

function locate(root: string, name: string): string {
  for (const candidate of [`${name}.gz`, name]) {
    const file = path.join(root, candidate);
    if (fs.existsSync(file)) return file;
  }
  throw new ConfigError(`Fashion-MNIST file ${name}(.gz) not found in ${root}`, {
    path: 'dataset.data_root',
    found: root,
    fix: 'point data_root at a folder with the four IDX files (Debian: apt install dataset-fashion-mnist -> /usr/share/datasets/fashion-mnist)',
  });
}

/** Fashion-MNIST from its IDX files: 28x28x1 uint8 images and labels 0-9, all in memory. */
export class FashionMNIST implements Dataset<DataItem> {
  readonly metainfo = { classes: FASHION_MNIST_CLASSES };
  private readonly images: Uint8Array;
  private readonly labels: Uint8Array;
  readonly length: number;

  constructor(opts: FashionMnistOptions) {
    const split = opts.split ?? 'train';
    const [imagesName, labelsName] = FILES[split];
    const images = readIdx(locate(opts.data_root, imagesName));
    const labels = readIdx(locate(opts.data_root, labelsName));
    if (images.shape[0] !== labels.shape[0]) {
      throw new ConfigError(`Fashion-MNIST ${split} has ${images.shape[0]} images but ${labels.shape[0]} labels`, {
        path: 'dataset.data_root',
        found: opts.data_root,
      });
    }
    this.images = images.data;
    this.labels = labels.data;
    this.length = Math.min(images.shape[0], opts.max_samples ?? Number.POSITIVE_INFINITY);
  }

  getItem(index: number): DataItem {
    const size = 28 * 28;
    return {
      inputs: { data: this.images.subarray(index * size, (index + 1) * size), shape: [28, 28, 1] },
      data_samples: { gt_label: this.labels[index], sample_idx: index },
    };
  }
}
