import * as tf from '@tensorflow/tfjs';
import type { DataBatch, DataSample } from '../data/types.js';
import { readTensors, tensorsIn } from '../env/read-tensors.js';
import { TrainkitError } from '../errors.js';
import type { OptimWrapperLike } from '../optim/types.js';
import { BaseDataPreprocessor, type DataPreprocessorOptions } from './data-preprocessor.js';
import { type InitConfig, type PretrainedLoad, parseInitCfg } from './init-cfg.js';
import { type LossDict, parseLosses } from './parse-losses.js';

export type ForwardMode = 'loss' | 'predict' | 'tensor';

/** One named variable with what optimizer constructors need to know about its layer. */
export interface ParameterInfo {
  name: string;
  variable: tf.Variable;
  /** The layer's class (`Conv2D`, `BatchNormalization`, `DepthwiseConv2D`, `Dense`) or `Variable`. */
  module: string;
  /** The weight's own name within its layer: `kernel`, `bias`, `gamma`, ... */
  shortName: string;
  trainable: boolean;
}

export interface BaseModelOptions {
  data_preprocessor?: BaseDataPreprocessor | DataPreprocessorOptions;
  /** `{type: 'Pretrained', checkpoint, prefix}` (or a list): weights loaded before training. */
  init_cfg?: InitConfig | null;
}

export interface LoadReport {
  missing: string[];
  unexpected: string[];
}

/**
 * The model contract of the runtime over TensorFlow.js: `forward(inputs, dataSamples, mode)` in
 * the modes `loss | predict | tensor`, steps for train/val/test, and named parameters and state
 * that work the same for tfjs-layers models (`addLayersModel`) and raw variables (`addParameter`).
 */
export abstract class BaseModel {
  training = true;
  readonly dataPreprocessor: BaseDataPreprocessor;
  /** The checkpoints `init_cfg` loads when training starts (`runner.train()`), in order. */
  readonly initCfg: PretrainedLoad[];
  private readonly own = new Map<string, ParameterInfo>();
  private readonly layersModels: Array<[string, tf.LayersModel]> = [];

  constructor(opts: BaseModelOptions = {}) {
    const dp = opts.data_preprocessor;
    this.dataPreprocessor = dp instanceof BaseDataPreprocessor ? dp : new BaseDataPreprocessor(dp ?? {});
    this.initCfg = parseInitCfg(opts.init_cfg, 'model.init_cfg');
  }

  abstract forward(inputs: tf.Tensor, dataSamples: DataSample[] | undefined, mode: ForwardMode): LossDict | DataSample[] | tf.Tensor;

  /** Registers a raw variable under `name` (trainable ones are parameters, others buffers). */
  protected addParameter(name: string, variable: tf.Variable, module = 'Variable'): tf.Variable {
    if (this.own.has(name)) throw new TrainkitError(`parameter "${name}" is registered twice`);
    this.own.set(name, { name, variable, module, shortName: name.slice(name.lastIndexOf('.') + 1), trainable: variable.trainable });
    return variable;
  }

  /** Registers a tfjs-layers model whose weights are named `<prefix>.<layer>.<weight>`. */
  protected addLayersModel<M extends tf.LayersModel>(prefix: string, model: M): M {
    checkDropoutLayers(prefix, model.layers);
    this.layersModels.push([prefix, model]);
    return model;
  }

  /** Every variable with its name, trainable ones and buffers, in a stable order. */
  parameterInfo(): ParameterInfo[] {
    const out = [...this.own.values()];
    for (const [prefix, model] of this.layersModels) out.push(...layersParameterInfo(prefix, model));
    return out;
  }

  /** Trainable variables by name (what optimizers update). */
  namedParameters(): Array<[string, tf.Variable]> {
    return this.parameterInfo()
      .filter((p) => p.trainable)
      .map((p) => [p.name, p.variable]);
  }

  /** Non-trainable state by name (BatchNorm statistics, frozen weights). */
  namedBuffers(): Array<[string, tf.Variable]> {
    return this.parameterInfo()
      .filter((p) => !p.trainable)
      .map((p) => [p.name, p.variable]);
  }

  /** Parameters and buffers by name. The tensors are the live variables: do not dispose them. */
  stateDict(): Record<string, tf.Tensor> {
    const sd: Record<string, tf.Tensor> = {};
    for (const p of this.parameterInfo()) sd[p.name] = p.variable;
    return sd;
  }

  /** Copies values in by name; `strict` fails on any missing or unexpected key. */
  loadStateDict(state: Record<string, tf.Tensor>, strict = false): LoadReport {
    const info = this.parameterInfo();
    const known = new Set(info.map((p) => p.name));
    const missing = info.filter((p) => !(p.name in state)).map((p) => p.name);
    const unexpected = Object.keys(state).filter((k) => !known.has(k));
    if (strict && (missing.length || unexpected.length)) {
      throw new TrainkitError(
        `the state dict does not match the model (strict load)\n  missing keys: ${missing.join(', ') || '(none)'}\n  unexpected keys: ${unexpected.join(', ') || '(none)'}`,
      );
    }
    for (const p of info) {
      const value = state[p.name];
      if (!value) continue;
      if (value.shape.length !== p.variable.shape.length || value.shape.some((d, i) => d !== p.variable.shape[i])) {
        throw new TrainkitError(`cannot load "${p.name}": the checkpoint has shape [${value.shape}], the model [${p.variable.shape}]`);
      }
      p.variable.assign(value.dtype === p.variable.dtype ? value : tf.cast(value, p.variable.dtype));
    }
    return { missing, unexpected };
  }

  train(mode = true): this {
    this.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /**
   * Called by `runner.train()` before `init_cfg`'s checkpoints and `load_from` are loaded; tfjs
   * layers initialise on build.
   */
  initWeights(): void {}

  /** One optimisation step; returns the log vars (the caller disposes them), later when gradients are reduced across ranks. */
  trainStep(data: DataBatch, optimWrapper: OptimWrapperLike): Record<string, tf.Scalar> | Promise<Record<string, tf.Scalar>> {
    return optimWrapper.updateParams(() => {
      const { inputs, data_samples } = this.dataPreprocessor.forward(data, true);
      return parseLosses(this.forward(inputs, data_samples, 'loss') as LossDict);
    });
  }

  valStep(data: DataBatch): Promise<DataSample[]> {
    return this.predictStep(data);
  }

  testStep(data: DataBatch): Promise<DataSample[]> {
    return this.predictStep(data);
  }

  /**
   * Predict mode on one batch. Samples may hold tensors (`pred_score`, ...): they are read here,
   * asynchronously, so models work on backends without synchronous reads (WebGPU).
   */
  protected predictStep(data: DataBatch): Promise<DataSample[]> {
    const out = tf.tidy(() => {
      const { inputs, data_samples } = this.dataPreprocessor.forward(data, false);
      return this.forward(inputs, data_samples, 'predict') as never;
    }) as DataSample[];
    // tensors the batch brought along stay the batch's
    return readTensors(out, tensorsIn(data)) as Promise<DataSample[]>;
  }

  dispose(): void {
    for (const p of this.own.values()) p.variable.dispose();
    for (const [, m] of this.layersModels) m.dispose();
  }
}

/**
 * tfjs clamps a dropout rate into [0, 1] and then skips a layer whose rate is 1: a rate of 1 or
 * more (a percentage, say) would train with no dropout at all and no word about it.
 */
function checkDropoutLayers(path: string, layers: tf.layers.Layer[]): void {
  layers.forEach((layer, i) => {
    const inner = (layer as unknown as { layers?: tf.layers.Layer[] }).layers;
    if (inner) {
      checkDropoutLayers(`${path}.${i}`, inner);
      return;
    }
    const rate = (layer as unknown as { rate?: unknown }).rate;
    if (/Dropout/.test(layer.getClassName()) && typeof rate === 'number' && !(rate >= 0 && rate < 1)) {
      throw new TrainkitError(
        `${path}.${i} (${layer.getClassName()} "${layer.name}"): dropout rate ${rate} is outside [0, 1), so tfjs would apply no dropout at all; give the fraction of units to drop, e.g. 0.5`,
      );
    }
  });
}

const AUTO_NAME = /_([A-Z][A-Za-z0-9]*?)\d+$/;

/** Names layers by index unless the user named them (tfjs's automatic names change per process). */
function layerKey(layer: tf.layers.Layer, index: number): string {
  const m = AUTO_NAME.exec(layer.name);
  return m && m[1] === layer.getClassName() ? String(index) : layer.name;
}

function layersParameterInfo(prefix: string, model: tf.LayersModel): ParameterInfo[] {
  const out: ParameterInfo[] = [];
  const visit = (path: string, layers: tf.layers.Layer[]) => {
    layers.forEach((layer, i) => {
      const key = path ? `${path}.${layerKey(layer, i)}` : layerKey(layer, i);
      const inner = (layer as unknown as { layers?: tf.layers.Layer[] }).layers;
      if (layer instanceof tf.LayersModel && inner) {
        visit(key, inner);
        return;
      }
      const trainable = new Set(layer.trainableWeights);
      for (const w of layer.weights) {
        const shortName = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
        out.push({
          name: `${key}.${shortName}`,
          variable: (w as unknown as { read(): tf.Variable }).read(),
          module: layer.getClassName(),
          shortName,
          trainable: trainable.has(w),
        });
      }
    });
  };
  visit(prefix, model.layers);
  return out;
}
