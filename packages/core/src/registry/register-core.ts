import { z } from 'zod';
import { defaultCollate, pseudoCollate } from '../data/collate.js';
import { DefaultSampler, InfiniteSampler } from '../data/sampler.js';
import { Accuracy, accuracyOptions } from '../evaluation/accuracy.js';
import { Evaluator } from '../evaluation/evaluator.js';
import { DistSamplerSeedHook } from '../hooks/dist-sampler-seed-hook.js';
import { EmptyCacheHook, emptyCacheHookOptions } from '../hooks/empty-cache-hook.js';
import { IterTimerHook } from '../hooks/iter-timer-hook.js';
import { RuntimeInfoHook } from '../hooks/runtime-info-hook.js';
import { SyncBuffersHook } from '../hooks/sync-buffers-hook.js';
import { LogProcessor, logProcessorOptions } from '../logging/log-processor.js';
import { TestLoop, ValLoop } from '../loops/eval-loop.js';
import { EpochBasedTrainLoop, epochBasedTrainLoopOptions } from '../loops/epoch-based-train-loop.js';
import { IterBasedTrainLoop, iterBasedTrainLoopOptions } from '../loops/iter-based-train-loop.js';
import { LayersClassifier } from '../model/layers-classifier.js';
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
});

export const evalLoopOptions = defineOptions({ fp16: z.boolean().optional() });

HOOKS.register('RuntimeInfoHook', RuntimeInfoHook, { options: noOptions, from });
HOOKS.register('IterTimerHook', IterTimerHook, { options: noOptions, from });
HOOKS.register('DistSamplerSeedHook', DistSamplerSeedHook, { options: noOptions, from });
HOOKS.register('EmptyCacheHook', EmptyCacheHook, { options: emptyCacheHookOptions, from });
HOOKS.register('SyncBuffersHook', SyncBuffersHook, { options: noOptions, from });
LOOPS.register('EpochBasedTrainLoop', EpochBasedTrainLoop, { options: epochBasedTrainLoopOptions, from });
LOOPS.register('IterBasedTrainLoop', IterBasedTrainLoop, { options: iterBasedTrainLoopOptions, from });
LOOPS.register('ValLoop', ValLoop, { options: evalLoopOptions, from });
LOOPS.register('TestLoop', TestLoop, { options: evalLoopOptions, from });
DATA_SAMPLERS.register('DefaultSampler', DefaultSampler, { options: samplerOptions, from });
DATA_SAMPLERS.register('InfiniteSampler', InfiniteSampler, { options: samplerOptions, from });
COLLATE_FUNCTIONS.register('default_collate', defaultCollate, { from });
COLLATE_FUNCTIONS.register('pseudo_collate', pseudoCollate, { from });
METRICS.register('Accuracy', Accuracy, { options: accuracyOptions, from });
EVALUATOR.register('Evaluator', Evaluator, { from });
LOG_PROCESSORS.register('LogProcessor', LogProcessor, { options: logProcessorOptions, from });
VISUALIZERS.register('Visualizer', Visualizer, { options: visualizerOptions, from });
VISBACKENDS.register('LocalVisBackend', LocalVisBackend, { options: localVisBackendOptions, from });
MODELS.register('LayersClassifier', LayersClassifier, { options: layersClassifierOptions, from });

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
  }
  interface VisBackendOptionsMap {
    LocalVisBackend: z.input<typeof localVisBackendOptions>;
  }
  interface VisualizerOptionsMap {
    Visualizer: z.input<typeof visualizerOptions>;
  }
  interface ModelOptionsMap {
    LayersClassifier: z.input<typeof layersClassifierOptions>;
  }
}
