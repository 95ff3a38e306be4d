import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { DataLoader } from '../data/dataloader.js';
import type { DataBatch } from '../data/types.js';
import type { Runner } from '../runner/runner.js';
import { limitBatches, limitBatchesOption, maxTimeOption, parseMaxTime } from './run-controls.js';
import type { TrainLoop } from './train-loop.js';

export interface LoopOptions {
  runner: Runner;
  dataloader: DataLoader;
}

/** Validation interval schedule: `[[milestone, interval], ...]` switches intervals at milestones. */
export type DynamicIntervals = Array<[number, number]>;

/**
 * The validation schedule options of both train loops. `val_interval` counts epochs in one and
 * iterations in the other, so each loop gives its own default.
 */
export function valScheduleOptions(defaultValInterval: number) {
  return {
    val_begin: z.number().int().min(0).default(1),
    val_interval: z.number().int().positive().default(defaultValInterval),
    dynamic_intervals: z.array(z.tuple([z.number().int(), z.number().int().positive()])).optional(),
  };
}

interface ValSchedule {
  val_begin?: number;
  val_interval?: number;
  dynamic_intervals?: DynamicIntervals;
}

/** The run controls of both train loops (Lightning's `max_time` and `limit_train_batches`). */
export const trainControlOptions = {
  max_time: maxTimeOption,
  limit_train_batches: limitBatchesOption,
};

interface TrainControls {
  max_time?: number | string;
  limit_train_batches?: number;
}

/** MMEngine's lookup: the interval of the last milestone `<= count` (counts start at 0). */
export function intervalAt(count: number, base: number, dynamic: DynamicIntervals | undefined): number {
  if (!dynamic?.length) return base;
  const milestones = [0, ...dynamic.map(([m]) => m)];
  const intervals = [base, ...dynamic.map(([, i]) => i)];
  let k = 0;
  for (let i = 0; i < milestones.length; i++) if (milestones[i] <= count) k = i;
  return intervals[k];
}

/** Frees the scalars a train step returned once every hook has seen them. */
export function disposeOutputs(outputs: Record<string, tf.Tensor | number> | undefined): void {
  if (!outputs) return;
  for (const k in outputs) {
    const v = outputs[k];
    if (typeof v !== 'number') v.dispose();
  }
}

/** How long a loop may run synchronously before it lets the event loop turn. */
const YIELD_EVERY_MS = 10;
let lastYield = performance.now();

/**
 * A loop over in-memory data never returns to the event loop on its own, so signal handlers
 * (Ctrl-C stopping the run), timers and I/O callbacks would wait until the run ends. Every
 * YIELD_EVERY_MS this returns a promise that resolves after they had their turn; otherwise
 * undefined, so the hot path costs one clock read.
 */
export function yieldToEventLoop(): Promise<void> | undefined {
  const now = performance.now();
  if (now - lastYield < YIELD_EVERY_MS) return undefined;
  lastYield = now;
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The state and the train iteration both train loops share. Each loop keeps its own control flow
 * (`run`) and says what an epoch is.
 */
export abstract class BaseTrainLoop implements TrainLoop {
  readonly runner: LoopOptions['runner'];
  readonly dataloader: LoopOptions['dataloader'];
  abstract readonly maxEpochs: number;
  abstract readonly maxIters: number;
  readonly valBegin: number;
  valInterval: number;
  private readonly baseValInterval: number;
  readonly dynamicIntervals: DynamicIntervals | undefined;
  epoch = 0;
  iter = 0;
  stopTraining = false;

  /** `max_time` in ms, counted from the start of `run()` in this process. */
  readonly maxTimeMs: number | undefined;
  private deadline = Number.POSITIVE_INFINITY;

  constructor(opts: LoopOptions & ValSchedule & TrainControls, defaultValInterval: number) {
    this.runner = opts.runner;
    this.dataloader = opts.dataloader;
    limitBatches(this.dataloader, opts.limit_train_batches, 'train_cfg.limit_train_batches');
    this.maxTimeMs = parseMaxTime(opts.max_time);
    this.valBegin = opts.val_begin ?? 1;
    this.valInterval = opts.val_interval ?? defaultValInterval;
    this.baseValInterval = this.valInterval;
    this.dynamicIntervals = opts.dynamic_intervals;
  }

  abstract run(): Promise<void>;

  /** Starts the `max_time` clock; each loop calls it as its run begins. */
  protected startClock(): void {
    if (this.maxTimeMs !== undefined) this.deadline = performance.now() + this.maxTimeMs;
  }

  /**
   * After `done` of `total` epochs (or iterations): moves `valInterval` on to the next one's
   * interval, then says whether to validate now.
   */
  protected valDue(done: number, total: number): boolean {
    this.valInterval = intervalAt(done + 1, this.baseValInterval, this.dynamicIntervals);
    if (!this.runner.valLoop || done < this.valBegin) return false;
    return done % this.valInterval === 0 || done === total;
  }

  /** One train step between its hooks; `idx` is what the iteration hooks are given. */
  protected async runIter(idx: number, batch: DataBatch): Promise<void> {
    const runner = this.runner;
    const before = runner.callHook('beforeTrainIter', idx, batch);
    if (before) await before;
    let outputs = runner.model.trainStep(batch, runner.optimWrapper!);
    // a distributed update step awaits the gradient all-reduce
    if (outputs instanceof Promise) outputs = await outputs;
    const after = runner.callHook('afterTrainIter', idx, batch, outputs);
    if (after) await after;
    disposeOutputs(outputs);
    this.iter++;
    if (performance.now() >= this.deadline && !runner.stopRequested) {
      // Lightning's Timer: stop after this iteration; CheckpointHook saves a resumable checkpoint
      runner.logger.info(`train_cfg.max_time (${this.maxTimeMs! / 1000}s) reached after iteration ${this.iter}: stopping`);
      runner.requestStop('max_time');
    }
    const turn = yieldToEventLoop();
    if (turn) await turn;
  }
}
