import { z } from 'zod';
import { defaultCollate, pseudoCollate } from '../data/collate.js';
import { DefaultSampler, InfiniteSampler } from '../data/sampler.js';
import { Accuracy, accuracyOptions } from '../evaluation/accuracy.js';
import { ConfusionMatrix, confusionMatrixOptions } from '../evaluation/confusion-matrix.js';
import { Evaluator } from '../evaluation/evaluator.js';
import { MAE, maeOptions } from '../evaluation/mae.js';
import { MSE, mseOptions } from '../evaluation/mse.js';
import { RMSE, rmseOptions } from '../evaluation/rmse.js';
import { ROCAUC, rocAucOptions } from '../evaluation/roc-auc.js';
import { SingleLabelMetric, singleLabelMetricOptions } from '../evaluation/single-label-metric.js';
import { DistSamplerSeedHook } from '../hooks/dist-sampler-seed-hook.js';
import { EmptyCacheHook, emptyCacheHookOptions } from '../hooks/empty-cache-hook.js';
import { IterTimerHook } from '../hooks/iter-timer-hook.js';
import { RuntimeInfoHook } from '../hooks/runtime-info-hook.js';
import { SyncBuffersHook } from '../hooks/sync-buffers-hook.js';
import { LogProcessor, logProcessorOptions } from '../logging/log-processor.js';
import { TestLoop, ValLoop } from '../loops/eval-loop.js';
import { limitBatchesOption } from '../loops/run-controls.js';
import { EpochBasedTrainLoop, epochBasedTrainLoopOptions } from '../loops/epoch-based-train-loop.js';
import { IterBasedTrainLoop, iterBasedTrainLoopOptions } from '../loops/iter-based-train-loop.js';
import * as tf from '@tensorflow/tfjs';
import { LayersClassifier } from '../model/layers-classifier.js';
import type { InitConfig } from '../model/init-cfg.js';
import { LayersModelWrapper } from '../model/layers-model-wrapper.js';
import { LocalVisBackend } from '../visualizer/local-vis-backend.js';
import { Visualizer } from '../visualizer/visualizer.js';
import { defineOptions } from './options.js';
import { COLLATE_FUNCTIONS, DATA_SAMPLERS, EVALUATOR, HOOKS, LOG_PROCESSORS, LOOPS, METRICS, MODELS, VISBACKENDS, VISUALIZERS } from './root.js';

const from = '@trainkit/core';
const noOptions = defineOptions({});

export const samplerOptions = defineOptions({
  shuffle: z.boolean().default(true),
  seed: z.number().int().nullable().optional(),
  round_up: z.boolean().optional(),
});

export const localVisBackendOptions = defineOptions({
  save_dir: z.string().optional(),
  img_save_dir: z.string().optional(),
  config_save_file: z.string().optional(),
  scalar_save_file: z.string().optional(),
  name: z.string().optional(),
});

export const visualizerOptions = defineOptions({
  name: z.string().optional(),
  vis_backends: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  save_dir: z.string().optional(),
});

const preprocessorOptions = z
  .strictObject({
    type: z.string().optional(),
    mean: z.array(z.number()).nullable().optional(),
    std: z.array(z.number()).nullable().optional(),
    scale: z.number().optional(),
  })
  .optional();

export const layersClassifierOptions = defineOptions({
  layers: z.array(z.looseObject({ type: z.string() })).min(1),
  input_shape: z.array(z.number().int().positive()).optional(),
  num_classes: z.number().int().positive().optional(),
  label_smoothing: z.number().min(0).max(1).optional(),
  data_preprocessor: preprocessorOptions,
  // typed here, checked by the model itself (whose errors name MMEngine's other initialisers)
  init_cfg: z.custom<InitConfig | null>(() => true).optional(),
});

export const layersModelWrapperOptions = defineOptions({
  network: z.custom<tf.LayersModel>((v) => v instanceof tf.LayersModel, { message: 'expected a tf.LayersModel (built in a .ts/.js config)' }).optional(),
  layers: z
    .array(z.looseObject({ type: z.string() }))
    .min(1)
    .optional(),
  input_shape: z.array(z.number().int().positive()).optional(),
  loss: z.union([z.string(), z.custom<(...a: unknown[]) => unknown>((v) => typeof v === 'function', { message: 'expected a loss name or a function' })]),
  from_logits: z.boolean().optional(),
  data_preprocessor: preprocessorOptions,
  init_cfg: z.custom<InitConfig | null>(() => true).optional(),
});

export const valLoopOptions = defineOptions({ fp16: z.boolean().optional(), limit_val_batches: limitBatchesOption });
export const testLoopOptions = defineOptions({ fp16: z.boolean().optional(), limit_test_batches: limitBatchesOption });

HOOKS.register('RuntimeInfoHook', RuntimeInfoHook, { options: noOptions, from });
HOOKS.register('IterTimerHook', IterTimerHook, { options: noOptions, from });
HOOKS.register('DistSamplerSeedHook', DistSamplerSeedHook, { options: noOptions, from });
HOOKS.register('EmptyCacheHook', EmptyCacheHook, { options: emptyCacheHookOptions, from });
HOOKS.register('SyncBuffersHook', SyncBuffersHook, { options: noOptions, from });
LOOPS.register('EpochBasedTrainLoop', EpochBasedTrainLoop, { options: epochBasedTrainLoopOptions, from });
LOOPS.register('IterBasedTrainLoop', IterBasedTrainLoop, { options: iterBasedTrainLoopOptions, from });
LOOPS.register('ValLoop', ValLoop, { options: valLoopOptions, from });
LOOPS.register('TestLoop', TestLoop, { options: testLoopOptions, from });
DATA_SAMPLERS.register('DefaultSampler', DefaultSampler, { options: samplerOptions, from });
DATA_SAMPLERS.register('InfiniteSampler', InfiniteSampler, { options: samplerOptions, from });
COLLATE_FUNCTIONS.register('default_collate', defaultCollate, { from });
COLLATE_FUNCTIONS.register('pseudo_collate', pseudoCollate, { from });
METRICS.register('Accuracy', Accuracy, { options: accuracyOptions, from });
METRICS.register('MSE', MSE, { options: mseOptions, from });
METRICS.register('MAE', MAE, { options: maeOptions, from });
METRICS.register('RMSE', RMSE, { options: rmseOptions, from });
METRICS.register('SingleLabelMetric', SingleLabelMetric, { options: singleLabelMetricOptions, from });
METRICS.register('ConfusionMatrix', ConfusionMatrix, { options: confusionMatrixOptions, from });
METRICS.register('ROCAUC', ROCAUC, { options: rocAucOptions, from });
EVALUATOR.register('Evaluator', Evaluator, { from });
LOG_PROCESSORS.register('LogProcessor', LogProcessor, { options: logProcessorOptions, from });
VISUALIZERS.register('Visualizer', Visualizer, { options: visualizerOptions, from });
VISBACKENDS.register('LocalVisBackend', LocalVisBackend, { options: localVisBackendOptions, from });
MODELS.register('LayersClassifier', LayersClassifier, { options: layersClassifierOptions, from });
MODELS.register('LayersModelWrapper', LayersModelWrapper, { options: layersModelWrapperOptions, from });

declare module '../config/types.js' {
  interface HookOptionsMap {
    RuntimeInfoHook: Record<never, never>;
    IterTimerHook: Record<never, never>;
    DistSamplerSeedHook: Record<never, never>;
    EmptyCacheHook: z.input<typeof emptyCacheHookOptions>;
    SyncBuffersHook: Record<never, never>;
  }
  interface DataSamplerOptionsMap {
    DefaultSampler: z.input<typeof samplerOptions>;
    InfiniteSampler: z.input<typeof samplerOptions>;
  }
  interface MetricOptionsMap {
    Accuracy: z.input<typeof accuracyOptions>;
    MSE: z.input<typeof mseOptions>;
    MAE: z.input<typeof maeOptions>;
    RMSE: z.input<typeof rmseOptions>;
    SingleLabelMetric: z.input<typeof singleLabelMetricOptions>;
    ConfusionMatrix: z.input<typeof confusionMatrixOptions>;
    ROCAUC: z.input<typeof rocAucOptions>;
  }
  interface VisBackendOptionsMap {
    LocalVisBackend: z.input<typeof localVisBackendOptions>;
  }
  interface VisualizerOptionsMap {
    Visualizer: z.input<typeof visualizerOptions>;
  }
  interface ModelOptionsMap {
    LayersClassifier: z.input<typeof layersClassifierOptions>;
    LayersModelWrapper: z.input<typeof layersModelWrapperOptions>;
  }
}
