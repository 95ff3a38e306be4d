import { z } from 'zod';
import { defaultCollate, pseudoCollate } from '../data/collate.js';
import { DefaultSampler, InfiniteSampler } from '../data/sampler.js';
import { Evaluator } from '../evaluation/evaluator.js';
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
import { LocalVisBackend } from '../visualizer/local-vis-backend.js';
import { Visualizer } from '../visualizer/visualizer.js';
import { defineOptions } from './options.js';
import { COLLATE_FUNCTIONS, DATA_SAMPLERS, EVALUATOR, HOOKS, LOG_PROCESSORS, LOOPS, VISBACKENDS, VISUALIZERS } from './root.js';

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
EVALUATOR.register('Evaluator', Evaluator, { from });
LOG_PROCESSORS.register('LogProcessor', LogProcessor, { options: logProcessorOptions, from });
VISUALIZERS.register('Visualizer', Visualizer, { options: visualizerOptions, from });
VISBACKENDS.register('LocalVisBackend', LocalVisBackend, { options: localVisBackendOptions, from });

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
  interface VisBackendOptionsMap {
    LocalVisBackend: z.input<typeof localVisBackendOptions>;
  }
  interface VisualizerOptionsMap {
    Visualizer: z.input<typeof visualizerOptions>;
  }
}
