import * as tf from '@tensorflow/tfjs';
import { TrainkitError } from '../errors.js';
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

  constructor(opts: DataPreprocessorOptions = {}) {
    this.mean = opts.mean ?? null;
    this.std = opts.std ?? null;
    this.scale = opts.scale ?? 1;
    if ((this.mean === null) !== (this.std === null)) {
      throw new TrainkitError('data_preprocessor: give both mean and std, or neither');
    }
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
