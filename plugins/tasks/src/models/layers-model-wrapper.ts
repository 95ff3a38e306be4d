import * as tf from '@tensorflow/tfjs';
import type { DataBatch, DataSample } from '@trainkit/core';
import { ConfigError } from '@trainkit/core';
import { BaseModel, type BaseModelOptions, type ForwardMode } from '@trainkit/core';
import { type LayerSpec, buildSequential } from './layers-classifier.js';
import { type LossFunction, type LossKind, namedLoss } from './named-losses.js';
import type { LossDict } from '@trainkit/core';

export interface LayersModelWrapperOptions extends BaseModelOptions {
  /** Any tfjs-layers model (`tf.sequential()`, `tf.model()`, `tf.loadLayersModel()`). */
  network?: tf.LayersModel;
  /** Or the network in config form, as LayersClassifier takes it: `[{type: 'dense', units: 1}]`. */
  layers?: LayerSpec[];
  /** Shape of one input sample, with `layers`, if the first layer does not give it. */
  input_shape?: number[];
  /** A tfjs/Keras loss name (`meanSquaredError`, `sparseCategoricalCrossentropy`, ...) or a function. */
  loss: string | LossFunction;
  /** The network ends in logits, not probabilities (Keras' `from_logits`); crossentropy losses only. */
  from_logits?: boolean;
}

/**
 * Trains an existing `tf.LayersModel` (or one described by layer configs) with a named loss,
 * the way `model.compile({loss})` names it. Targets come from the data samples: `gt_label` (class indices) or `gt_value` (numbers,
 * one per output). Predict mode gives what the metrics read: `pred_score` and `pred_label` for
 * crossentropy losses, `pred_value` for regression losses and custom loss functions.
 */
export class LayersModelWrapper extends BaseModel {
  readonly network: tf.LayersModel;
  readonly kind: LossKind;
  readonly fromLogits: boolean;
  private readonly lossFn: LossFunction;

  constructor(opts: LayersModelWrapperOptions) {
    super(opts);
    if ((opts.network === undefined) === (opts.layers === undefined)) {
      throw new ConfigError('LayersModelWrapper needs either "network" (a tf.LayersModel) or "layers" (layer configs), not both or neither', {
        path: 'model',
        fix: "e.g. network: tf.sequential({layers: [...]}) in code, or layers: [{type: 'dense', units: 1}] in a config",
      });
    }
    if (opts.network !== undefined && !(opts.network instanceof tf.LayersModel)) {
      throw new ConfigError('LayersModelWrapper needs a tf.LayersModel as "network"', {
        path: 'model.network',
        found: opts.network,
        fix: 'pass the model itself, e.g. network: tf.sequential({layers: [...]}), or one from tf.loadLayersModel()',
      });
    }
    this.fromLogits = opts.from_logits ?? false;
    if (typeof opts.loss === 'function') {
      this.kind = 'regression';
      this.lossFn = opts.loss;
    } else {
      const named = namedLoss(opts.loss);
      this.kind = named.kind;
      this.lossFn = named.fn(this.fromLogits);
    }
    if (this.fromLogits && this.kind === 'regression') {
      throw new ConfigError('from_logits applies to crossentropy losses only', { path: 'model.from_logits', found: true, fix: 'remove from_logits' });
    }
    this.network = this.addLayersModel('network', opts.network ?? buildSequential(opts.layers!, opts.input_shape, 'model.layers'));
  }

  forward(inputs: tf.Tensor, dataSamples: DataSample[] | undefined, mode: ForwardMode): LossDict | DataSample[] | tf.Tensor {
    const output = this.network.apply(inputs, { training: this.training }) as tf.Tensor;
    if (mode === 'tensor') return output;
    if (mode === 'loss') return { loss: this.lossFn(this.targets(dataSamples, output.shape), output) };
    const shown = this.shown(output);
    return this.samplesFrom(shown.dataSync() as Float32Array, shown.shape, dataSamples);
  }

  /** Predict mode with one asynchronous read of the batch's outputs. */
  protected override async predictStep(data: DataBatch): Promise<DataSample[]> {
    const { out, samples } = tf.tidy(() => {
      const { inputs, data_samples } = this.dataPreprocessor.forward(data, false);
      return { out: this.shown(this.network.apply(inputs, { training: false }) as tf.Tensor), samples: data_samples as never };
    }) as { out: tf.Tensor; samples: DataSample[] | undefined };
    try {
      return this.samplesFrom((await out.data()) as Float32Array, out.shape, samples);
    } finally {
      out.dispose();
    }
  }

  /** Outputs as predict mode reports them: probabilities for crossentropy losses. */
  private shown(output: tf.Tensor): tf.Tensor {
    if (!this.fromLogits) return output;
    return this.kind === 'binary' ? tf.sigmoid(output) : tf.softmax(output);
  }

  private samplesFrom(values: Float32Array, shape: number[], dataSamples: DataSample[] | undefined): DataSample[] {
    const n = shape[0];
    const width = values.length / n;
    const out: DataSample[] = [];
    for (let i = 0; i < n; i++) {
      const row = values.slice(i * width, (i + 1) * width);
      const sample: DataSample = { ...(dataSamples?.[i] ?? {}) };
      if (this.kind === 'categorical' || this.kind === 'sparse') {
        let best = 0;
        for (let j = 1; j < width; j++) if (row[j] > row[best]) best = j;
        sample.pred_score = row;
        sample.pred_label = best;
      } else if (this.kind === 'binary' && width === 1) {
        sample.pred_score = Float32Array.of(1 - row[0], row[0]);
        sample.pred_label = row[0] >= 0.5 ? 1 : 0;
      } else sample.pred_value = width === 1 ? row[0] : Array.from(row);
      out.push(sample);
    }
    return out;
  }

  /** The batch's targets as a tensor the loss can compare with outputs of `shape`. */
  private targets(samples: DataSample[] | undefined, shape: number[]): tf.Tensor {
    if (!samples?.length) throw new ConfigError('loss mode needs data_samples with gt_label or gt_value; the dataset must provide them');
    const width = shape.slice(1).reduce((a, b) => a * b, 1);
    const wantsIndex = this.kind === 'sparse' || (this.kind === 'categorical' && samples[0].gt_value === undefined);
    if (wantsIndex) {
      const labels = samples.map((s, i) => {
        const l = Array.isArray(s.gt_label) ? s.gt_label[0] : (s.gt_label ?? s.gt_value);
        if (typeof l !== 'number') throw new ConfigError(`sample ${i} of the batch has no numeric gt_label (a class index, which this loss needs)`);
        return l;
      });
      return tf.oneHot(tf.tensor1d(labels, 'int32'), width).toFloat();
    }
    const flat = new Float32Array(samples.length * width);
    samples.forEach((s, i) => {
      const v = s.gt_value ?? s.gt_label;
      const list = typeof v === 'number' ? [v] : Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<number>) : undefined;
      if (!list || list.length !== width) {
        throw new ConfigError(
          `sample ${i} of the batch has gt_value ${list ? `with ${list.length} value(s)` : 'missing'} but the network gives ${width} output(s) per sample`,
          { fix: 'give each sample gt_value: one number per output of the network' },
        );
      }
      flat.set(list, i * width);
    });
    return tf.tensor(flat, [samples.length, ...shape.slice(1)]);
  }
}
