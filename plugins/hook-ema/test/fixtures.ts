import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BaseMetric,
  CHECKPOINT_FORMATS,
  type ConfigObject,
  type DataBatch,
  type DataSample,
  HOOKS,
  Hook,
  METRICS,
  type Metrics,
  type Runner,
  z,
} from '@trainkit/core';
import { toyConfig } from '@trainkit/core/testing';
import { type Weights, weightsOf } from './fixtures-real.js';
import { MemoryCheckpoint } from './helpers.js';

export { type Weights, emaOf, weightsOf } from './fixtures-real.js';

/**
 * A probe registered as `CheckpointHook`, with the real hook's priority and points, so that
 * EMAHook's `runBefore: ['CheckpointHook']` applies to it: it saves `epoch_<n>.mem` (memory
 * format) after every train epoch and records the weights the model holds where the real hook
 * saves best checkpoints (after validation). ema-resume-safetensors.test.ts uses the real one.
 */
export class StandInCheckpointHook extends Hook {
  static seenAfterVal: Weights[] = [];
  override priority = 'VERY_LOW' as const;
  readonly interval: number;

  constructor(opts: { interval?: number } = {}) {
    super();
    this.interval = opts.interval ?? 1;
  }

  /** Iteration checkpoints are not used in these tests; the point is here because the real hook has it. */
  override afterTrainIter(): void {}

  override async afterTrainEpoch(runner: Runner): Promise<void> {
    const file = await runner.saveCheckpoint(runner.workDir, `epoch_${runner.epoch + 1}.mem`, { meta: { epoch: runner.epoch + 1, iter: runner.iter } });
    fs.writeFileSync(path.join(runner.workDir, 'last_checkpoint'), file);
  }

  override afterValEpoch(runner: Runner): void {
    StandInCheckpointHook.seenAfterVal.push(weightsOf(runner.model.namedParameters()));
  }
}

/** Records the model's weights after every train iteration (after the optimizer step). */
export class WeightRecorder extends Hook {
  static trajectory: Weights[] = [];
  override afterTrainIter(runner: Runner): void {
    WeightRecorder.trajectory.push(weightsOf(runner.model.namedParameters()));
  }
}

/** The mean prediction over the validation set: a metric that sees which weights the model has. */
export class PredictionMean extends BaseMetric<number> {
  static override defaultPrefix = 'pred';
  process(_batch: DataBatch, samples: DataSample[]): void {
    for (const s of samples) this.results.push(Number(s.pred_value));
  }
  computeMetrics(results: number[]): Record<string, number> {
    return { mean: results.reduce((a, b) => a + b, 0) / results.length };
  }
}

/** Captures every metrics dict of validation. */
export class MetricsProbe extends Hook {
  static seen: Metrics[] = [];
  override afterValEpoch(_runner: Runner, metrics?: Metrics): void {
    MetricsProbe.seen.push({ ...metrics });
  }
}

HOOKS.register('CheckpointHook', StandInCheckpointHook, { force: true, options: z.looseObject({}) });
HOOKS.register('WeightRecorder', WeightRecorder, { force: true });
HOOKS.register('MetricsProbe', MetricsProbe, { force: true });
METRICS.register('PredictionMean', PredictionMean, { force: true });
CHECKPOINT_FORMATS.register('MemoryCheckpoint', MemoryCheckpoint, { force: true });

/**
 * The toy run of the spec's seeds with EMA: 5 iterations per epoch, SGD lr 0.1, the cpu backend.
 * Hooks from plugins written in parallel (logger, param scheduler) are left out; the leak guard
 * is off because it counts the averaged weights EMAHook keeps as a leak of `beforeRun` (see the
 * README); the tests assert flat memory themselves.
 */
export function emaRunConfig(workDir: string, ema: Record<string, unknown>, overrides: ConfigObject = {}): ConfigObject {
  return toyConfig(workDir, {
    default_hooks: { logger: null, param_scheduler: null },
    custom_hooks: [{ type: 'EMAHook', ...ema }, { type: 'WeightRecorder' }, { type: 'MetricsProbe' }],
    // the stand-in checkpoint format keeps its tensors in memory, which the leak guard would count
    env_cfg: { backend: 'cpu', detect_tensor_leaks: false },
    ...overrides,
  });
}

/** Mean of the toy model's predictions on ToyDataset (10 samples) for the given weights. */
export function toyPredictionMean(w: Weights): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const x0 = ((i * 7) % 11) / 11;
    const x1 = ((i * 7 + 3) % 11) / 11;
    sum += x0 * w['linear.weight'][0] + x1 * w['linear.weight'][1] + w['linear.bias'][0];
  }
  return sum / 10;
}

export function resetRecorders(): void {
  StandInCheckpointHook.seenAfterVal = [];
  WeightRecorder.trajectory = [];
  MetricsProbe.seen = [];
}
