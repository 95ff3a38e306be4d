import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATASETS, type DataItem, type Dataset, type RawImage } from '@trainkit/core';
import '@trainkit/tasks';
import { toyConfig } from '@trainkit/core/testing';
import { PNG } from 'pngjs';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA */
  data: Buffer;
}

export function readPng(file: string): DecodedPng {
  const png = PNG.sync.read(fs.readFileSync(file));
  return { width: png.width, height: png.height, data: png.data };
}

/** Near-white pixels in a region: the label text is white. */
export function whitePixels(a: DecodedPng, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (a.data[(y * a.width + x) * 4] > 230 && a.data[(y * a.width + x) * 4 + 2] > 230) n++;
  return n;
}

/** A dark image with a brighter square in the middle, `channels` deep. */
export function testImage(height: number, width: number, channels: 1 | 3, value = 60): RawImage {
  const data = new Uint8Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = y > height / 4 && y < (3 * height) / 4 && x > width / 4 && x < (3 * width) / 4;
      for (let k = 0; k < channels; k++) data[(y * width + x) * channels + k] = inside ? 180 + 20 * k : value;
    }
  }
  return { data, height, width, channels };
}

export interface ImageDatasetOptions {
  length?: number;
  size?: number;
  channels?: 1 | 3;
  /** `float` stores values in [0, 1] as Float32Array. */
  dtype?: 'uint8' | 'float';
  /** Image paths by sample index. */
  img_paths?: Record<string, string>;
}

/** Small synthetic images, label `i % 2`, classes `a` and `b`. */
export class ImageDataset implements Dataset<DataItem> {
  readonly metainfo = { classes: ['a', 'b'] };
  constructor(readonly opts: ImageDatasetOptions = {}) {}

  get length(): number {
    return this.opts.length ?? 12;
  }

  getItem(i: number): DataItem {
    const size = this.opts.size ?? 8;
    const c = this.opts.channels ?? 1;
    const img = testImage(size, size, c, (i * 17) % 100);
    const data = this.opts.dtype === 'float' ? Float32Array.from(img.data, (v) => v / 255) : img.data;
    const imgPath = this.opts.img_paths?.[String(i)];
    return { inputs: { data, shape: [size, size, c] }, data_samples: { gt_label: i % 2, ...(imgPath ? { img_path: imgPath } : {}) } };
  }
}
DATASETS.register('VisImageDataset', ImageDataset, { force: true, from: 'hook-visualization tests' });

/** A short run on ImageDataset with a ClsVisualizer writing local files. */
export function imageRunConfig(workDir: string, dataset: ImageDatasetOptions = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const size = dataset.size ?? 8;
  const c = dataset.channels ?? 1;
  return toyConfig(workDir, {
    model: { type: 'LayersClassifier', layers: [{ type: 'flatten', input_shape: [size, size, c] }], num_classes: 2 },
    train_dataloader: { dataset: { type: 'VisImageDataset', ...dataset, length: 4 }, batch_size: 2, sampler: { type: 'DefaultSampler', shuffle: false } },
    val_dataloader: { dataset: { type: 'VisImageDataset', ...dataset }, batch_size: 4, sampler: { type: 'DefaultSampler', shuffle: false } },
    train_cfg: { by_epoch: true, max_epochs: 1, val_interval: 1 },
    visualizer: { type: 'ClsVisualizer', vis_backends: [{ type: 'LocalVisBackend' }] },
    // the plugins of these defaults are not this package's concern (and may not be built yet)
    default_hooks: { logger: null, param_scheduler: null, checkpoint: null },
    ...overrides,
  });
}

/** Files in `<run>/vis_data/vis_image`, sorted. */
export function visImages(logDir: string): string[] {
  const dir = path.join(logDir, 'vis_data', 'vis_image');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}
