import * as tf from '@tensorflow/tfjs';
import { type DataBatch, type DataSample, ConfigError, BaseModel, type BaseModelOptions, type ForwardMode, type LossDict } from '@trainkit/core';
import { didYouMean } from '@trainkit/core/plugin';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

/** One tfjs-layers layer in config form: `{type: 'conv2d', filters: 32, kernel_size: 3}`. */
export interface LayerSpec {
  type: string;
  [option: string]: unknown;
}

export interface LayersClassifierOptions extends BaseModelOptions {
  /** The network, first layer first; options in snake_case or camelCase. */
  layers: LayerSpec[];
  /** Shape of one input sample (e.g. `[28, 28, 1]`), if the first layer does not give it. */
  input_shape?: number[];
  /** Appends a dense layer with this many logits. */
  num_classes?: number;
  label_smoothing?: number;
}

type LayerFactory = (args: Record<string, unknown>) => tf.layers.Layer;

const FACTORIES = new Map<string, [string, LayerFactory]>();
for (const [name, fn] of Object.entries(tf.layers)) {
  if (typeof fn === 'function' && /^[a-z]/.test(name)) FACTORIES.set(normalise(name), [name, fn as LayerFactory]);
}

function normalise(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** tf.layers factories whose `rate` is a probability of dropping (or, Gaussian, of its noise). */
const DROPOUT_LAYERS = new Set(['dropout', 'spatialdropout1d', 'spatialdropout2d', 'spatialdropout3d', 'alphadropout', 'gaussiandropout']);

/**
 * A dropout rate must lie in [0, 1): at 1 every unit is dropped and the kept ones are scaled by
 * 1/(1 - rate) = infinity; below 0 it is no probability at all.
 */
export function checkDropoutRate(rate: unknown, path: string): void {
  if (typeof rate === 'number' && rate >= 0 && rate < 1) return;
  throw new ConfigError('a dropout rate is the fraction of units dropped and must be in [0, 1)', {
    path,
    found: rate === undefined ? 'nothing (the option is required)' : rate,
    fix: 'e.g. rate: 0.5; rate: 0 turns dropout off (or remove the layer)',
  });
}

/** Builds a tfjs-layers Sequential from layer specs, with config paths in errors. */
export function buildSequential(specs: LayerSpec[], inputShape: number[] | undefined, path: string): tf.Sequential {
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new ConfigError('a layers model needs a non-empty list of layers', {
      path,
      found: specs,
      fix: "e.g. layers: [{type: 'flatten'}, {type: 'dense', units: 10}]",
    });
  }
  const model = tf.sequential();
  specs.forEach((spec, i) => {
    const at = `${path}.${i}`;
    const hit = typeof spec?.type === 'string' ? FACTORIES.get(normalise(spec.type)) : undefined;
    if (!hit) {
      throw new ConfigError(
        `unknown layer type "${String(spec?.type)}".${didYouMean(
          String(spec?.type),
          [...FACTORIES.values()].map(([n]) => n),
        )}`,
        {
          path: `${at}.type`,
          fix: 'use a tf.layers factory name such as dense, conv2d, maxPooling2d, batchNormalization, dropout, flatten',
        },
      );
    }
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(spec)) if (k !== 'type') args[camel(k)] = v;
    if (DROPOUT_LAYERS.has(normalise(hit[0]))) checkDropoutRate(args.rate, `${at}.rate`);
    if (i === 0 && inputShape && args.inputShape === undefined && args.batchInputShape === undefined) args.inputShape = inputShape;
    try {
      model.add(hit[1](args));
    } catch (e) {
      throw new ConfigError(`layer "${hit[0]}" rejected its options: ${(e as Error).message}`, { path: at, found: spec });
    }
  });
  return model;
}

/**
 * An image (or any tensor) classifier over a tfjs-layers network described in the config:
 * softmax cross-entropy in `loss` mode, scores and labels in `predict` mode.
 */
export class LayersClassifier extends BaseModel {
  readonly network: tf.Sequential;
  readonly labelSmoothing: number;

  constructor(opts: LayersClassifierOptions) {
    super(opts);
    const specs = [...opts.layers];
    if (opts.num_classes !== undefined) specs.push({ type: 'dense', units: opts.num_classes });
    this.network = this.addLayersModel('network', buildSequential(specs, opts.input_shape, 'model.layers'));
    this.labelSmoothing = opts.label_smoothing ?? 0;
  }

  forward(inputs: tf.Tensor, dataSamples: DataSample[] | undefined, mode: ForwardMode): LossDict | DataSample[] | tf.Tensor {
    const logits = this.network.apply(inputs, { training: this.training }) as tf.Tensor2D;
    if (mode === 'tensor') return logits;
    if (mode === 'loss') {
      const labels = labelsOf(dataSamples);
      const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), logits.shape[1]);
      return { loss_cls: softmaxCrossEntropy(onehot as tf.Tensor2D, logits, this.labelSmoothing) };
    }
    const scores = tf.softmax(logits);
    return samplesFromScores(scores.dataSync() as Float32Array, scores.shape as [number, number], dataSamples);
  }

  /** Predict mode with one asynchronous read of the batch's scores (no per-sample reads). */
  protected override async predictStep(data: DataBatch): Promise<DataSample[]> {
    const { scores, samples } = tf.tidy(() => {
      const { inputs, data_samples } = this.dataPreprocessor.forward(data, false);
      const logits = this.network.apply(inputs, { training: false }) as tf.Tensor2D;
      return { scores: tf.softmax(logits), samples: data_samples as never };
    }) as { scores: tf.Tensor2D; samples: DataSample[] | undefined };
    try {
      return samplesFromScores((await scores.data()) as Float32Array, scores.shape, samples);
    } finally {
      scores.dispose();
    }
  }
}

/** One data sample per row of softmax scores, with the arg-max as the predicted label. */
function samplesFromScores(data: Float32Array, [n, k]: [number, number], dataSamples: DataSample[] | undefined): DataSample[] {
  const out: DataSample[] = [];
  for (let i = 0; i < n; i++) {
    const row = data.slice(i * k, (i + 1) * k);
    let best = 0;
    for (let j = 1; j < k; j++) if (row[j] > row[best]) best = j;
    out.push({ ...(dataSamples?.[i] ?? {}), pred_score: row, pred_label: best });
  }
  return out;
}

function labelsOf(samples: DataSample[] | undefined): number[] {
  if (!samples) throw new ConfigError('loss mode needs data_samples with gt_label; the dataset must provide them');
  return samples.map((s, i) => {
    const l = Array.isArray(s.gt_label) ? s.gt_label[0] : s.gt_label;
    if (typeof l !== 'number') throw new ConfigError(`sample ${i} of the batch has no numeric gt_label`);
    return l;
  });
}
