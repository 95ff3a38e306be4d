import * as tf from '@tensorflow/tfjs';
import { TrainkitError } from '../errors.js';
import type { DatasetMeta, Dataset } from './dataset.js';
import type { DataItem, NdArray } from './types.js';

export interface TensorDatasetOptions {
  /**
   * Where the targets go in each sample: `gt_label` (class indices, for classification metrics)
   * or `gt_value` (numbers, for regression). By default int32 targets of one column are labels.
   */
  target?: 'gt_label' | 'gt_value';
  metainfo?: DatasetMeta;
}

type Source = tf.Tensor | NdArray | number[] | number[][];

function toNdArray(x: Source, what: string): NdArray & { dtype: string } {
  if (x instanceof tf.Tensor) return { data: x.dataSync() as Float32Array, shape: x.shape, dtype: x.dtype };
  if (Array.isArray(x)) {
    const t = tf.tensor(x as number[][]);
    try {
      return { data: t.dataSync() as Float32Array, shape: t.shape, dtype: 'float32' };
    } finally {
      t.dispose();
    }
  }
  if (x && ArrayBuffer.isView((x as NdArray).data)) return { ...(x as NdArray), dtype: (x as NdArray).data instanceof Int32Array ? 'int32' : 'float32' };
  throw new TrainkitError(`TensorDataset: ${what} must be a tensor, an NdArray ({data, shape}) or a number array`);
}

/**
 * Samples from tensors held in memory, row by row (PyTorch's TensorDataset): item `i` has
 * `inputs` = row `i` of `x` and a data sample with row `i` of `y` (a number when a row holds one). The values are copied once
 * at construction, so the tensors may be disposed afterwards.
 */
export class TensorDataset implements Dataset<DataItem> {
  readonly length: number;
  readonly metainfo: DatasetMeta;
  private readonly x: NdArray;
  private readonly y: NdArray | undefined;
  private readonly target: 'gt_label' | 'gt_value';

  constructor(x: Source, y?: Source, opts: TensorDatasetOptions = {}) {
    this.x = toNdArray(x, 'x');
    this.length = this.x.shape[0];
    this.metainfo = opts.metainfo ?? {};
    if (y === undefined) {
      this.target = 'gt_value';
      return;
    }
    const yy = toNdArray(y, 'y');
    if (yy.shape[0] !== this.length)
      throw new TrainkitError(`TensorDataset: x has ${this.length} rows but y has ${yy.shape[0]}; give one target row per sample`);
    this.y = yy;
    this.target = opts.target ?? (yy.dtype === 'int32' && yy.shape.length === 1 ? 'gt_label' : 'gt_value');
  }

  getItem(index: number): DataItem {
    const inputs = row(this.x, index);
    if (!this.y) return { inputs, data_samples: {} };
    const target = row(this.y, index).data;
    // one target per sample (shape [n] or [n, 1]) is a number, more are a list
    const value = target.length === 1 ? target[0] : Array.from(target);
    return { inputs, data_samples: { [this.target]: value } };
  }
}

function row(a: NdArray, i: number): NdArray {
  const shape = a.shape.slice(1);
  const size = shape.reduce((p, d) => p * d, 1);
  return { data: a.data.slice(i * size, (i + 1) * size), shape };
}
