import * as tf from '@tensorflow/tfjs';
import { ConfigError, TrainkitError } from '../errors.js';
import { type DataBatch, type DataSample, isNdArray } from '../data/types.js';

export interface PreprocessedBatch {
  inputs: tf.Tensor;
  data_samples?: DataSample[];
}

export interface DataPreprocessorOptions {
  /** Per-channel mean subtracted from the inputs (last axis), after scaling. */
  mean?: number[] | null;
  /** Per-channel std the inputs are divided by. */
  std?: number[] | null;
  /** Multiplies the inputs before normalisation (e.g. 1/255 for uint8 images). */
  scale?: number;
}

/**
 * Turns a collated batch into tensors (inputs as float32) and applies the optional
 * normalisation. Runs inside the train step's `tf.tidy`, so intermediates are freed.
 */
export class BaseDataPreprocessor {
  readonly mean: number[] | null;
  readonly std: number[] | null;
  readonly scale: number;

  /** `path`: where the options sit in the config, for errors. */
  constructor(opts: DataPreprocessorOptions = {}, path = 'model.data_preprocessor') {
    checkPreprocessorValues(opts, path);
    this.mean = opts.mean ?? null;
    this.std = opts.std ?? null;
    this.scale = opts.scale ?? 1;
  }

  forward(data: DataBatch, _training = false): PreprocessedBatch {
    const raw = data.inputs;
    let inputs: tf.Tensor;
    if (raw instanceof tf.Tensor) inputs = raw.toFloat();
    else if (isNdArray(raw)) {
      // collate made a fresh array for this batch, so a float32 one can back the tensor as it is
      const data = raw.data instanceof Float32Array ? raw.data : Float32Array.from(raw.data as ArrayLike<number>);
      inputs = tf.tensor(data, raw.shape, 'float32');
    } else throw new TrainkitError('data_preprocessor: the batch "inputs" must be an NdArray ({data, shape}) or a tensor; use the default collate_fn');
    if (this.scale !== 1) inputs = tf.mul(inputs, this.scale);
    if (this.mean && this.std) inputs = tf.div(tf.sub(inputs, this.mean), this.std);
    return { inputs, data_samples: data.data_samples };
  }
}

/**
 * Values that cannot train: a std of 0 divides a channel by zero (every input becomes inf or
 * NaN), a scale of 0 erases the inputs, and mean and std must pair up channel by channel.
 */
export function checkPreprocessorValues(opts: DataPreprocessorOptions, path: string): void {
  const { mean, std, scale } = opts;
  if ((mean === undefined || mean === null) !== (std === undefined || std === null)) {
    throw new ConfigError('give both mean and std, or neither', { path: mean == null ? `${path}.mean` : `${path}.std`, found: { mean, std } });
  }
  if (Array.isArray(std)) {
    std.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v === 0) {
        throw new ConfigError(`std must be finite and non-zero: inputs are divided by it, so channel ${i} would become inf/NaN`, {
          path: `${path}.std.${i}`,
          found: v,
          fix: 'use the standard deviation of that channel over the training set (e.g. 58.395 for ImageNet red on a 0..255 scale), or 1 to leave it unscaled',
        });
      }
    });
  }
  if (Array.isArray(mean)) {
    mean.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError('mean must be finite numbers', { path: `${path}.mean.${i}`, found: v });
    });
    if (Array.isArray(std) && mean.length !== std.length) {
      throw new ConfigError(`mean has ${mean.length} values and std ${std.length}: one each per channel`, { path: `${path}.std`, found: { mean, std } });
    }
  }
  if (scale !== undefined && (typeof scale !== 'number' || !Number.isFinite(scale) || scale === 0)) {
    throw new ConfigError('scale must be a finite, non-zero number (inputs are multiplied by it)', {
      path: `${path}.scale`,
      found: scale,
      fix: 'e.g. 1/255 for 8-bit images',
    });
  }
}
