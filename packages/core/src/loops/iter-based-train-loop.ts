import { z } from 'zod';
import type { BatchIterator } from '../data/dataloader.js';
import type { DataBatch } from '../data/types.js';
import { defineOptions } from '../registry/options.js';
import { type DynamicIntervals, type LoopOptions, disposeOutputs, intervalAt, yieldToEventLoop } from './base-loop.js';
import type { TrainLoop } from './train-loop.js';

export const iterBasedTrainLoopOptions = defineOptions({
  max_iters: z.number().int().positive(),
  val_begin: z.number().int().min(0).default(1),
  val_interval: z.number().int().positive().default(1000),
  dynamic_intervals: z.array(z.tuple([z.number().int(), z.number().int().positive()])).optional(),
  by_epoch: z.literal(false).optional(),
});

export type IterBasedTrainLoopOptions = LoopOptions & z.input<typeof iterBasedTrainLoopOptions>;

/** Trains `max_iters` iterations as one long epoch, validating every `val_interval` iterations. */
export class IterBasedTrainLoop implements TrainLoop {
  readonly runner: LoopOptions['runner'];
  readonly dataloader: LoopOptions['dataloader'];
  readonly maxIters: number;
  readonly maxEpochs = 1;
  readonly valBegin: number;
  valInterval: number;
  private readonly baseValInterval: number;
  readonly dynamicIntervals: DynamicIntervals | undefined;
  epoch = 0;
  iter = 0;
  stopTraining = false;
  private pass = 0;
  private batches: BatchIterator | undefined;

  constructor(opts: IterBasedTrainLoopOptions) {
    this.runner = opts.runner;
    this.dataloader = opts.dataloader;
    this.maxIters = opts.max_iters;
    this.valBegin = opts.val_begin ?? 1;
    this.valInterval = opts.val_interval ?? 1000;
    this.baseValInterval = this.valInterval;
    this.dynamicIntervals = opts.dynamic_intervals;
  }

  async run(): Promise<void> {
    const runner = this.runner;
    await runner.callHook('beforeTrain');
    await runner.callHook('beforeTrainEpoch');
    this.startBatches(this.iter);
    while (this.iter < this.maxIters && !this.stopTraining) {
      runner.model.train();
      const batch = await this.nextBatch();
      await this.runIter(batch);
      if (runner.stopRequested) break;
      this.valInterval = intervalAt(this.iter + 1, this.baseValInterval, this.dynamicIntervals);
      if (runner.valLoop && this.iter >= this.valBegin && (this.iter % this.valInterval === 0 || this.iter === this.maxIters)) {
        await runner.valLoop.run();
      }
    }
    if (!runner.stopRequested) await runner.callHook('afterTrainEpoch');
    await runner.callHook('afterTrain');
  }

  /** Positions the data stream after `done` batches without loading the skipped ones. */
  private startBatches(done: number): void {
    if (done > 0) this.runner.logger.info(`Advance dataloader ${done} steps to skip data that has already been trained`);
    const sampler = this.dataloader.sampler;
    if (sampler.infinite) {
      this.batches = this.dataloader.batches(done);
      return;
    }
    const len = this.dataloader.length;
    this.pass = Math.floor(done / len);
    sampler.setEpoch?.(this.pass);
    this.batches = this.dataloader.batches(done % len);
  }

  private async nextBatch(): Promise<DataBatch> {
    let b = this.batches!.next();
    if (b instanceof Promise) b = await b;
    if (b) return b;
    // a finite sampler ran out: start its next pass (MMEngine recommends InfiniteSampler here)
    if (this.pass === 0)
      this.runner.logger.warn(
        'Reach the end of the dataloader, it will be restarted and continue to iterate. It is recommended to use `InfiniteSampler` in iteration-based training.',
      );
    this.pass++;
    this.dataloader.sampler.setEpoch?.(this.pass);
    this.batches = this.dataloader.batches();
    let next = this.batches.next();
    if (next instanceof Promise) next = await next;
    if (!next) throw new Error('the train dataloader yields no batch');
    return next;
  }

  private async runIter(batch: DataBatch): Promise<void> {
    const runner = this.runner;
    const idx = this.iter;
    const before = runner.callHook('beforeTrainIter', idx, batch);
    if (before) await before;
    const outputs = runner.model.trainStep(batch, runner.optimWrapper!);
    const after = runner.callHook('afterTrainIter', idx, batch, outputs);
    if (after) await after;
    disposeOutputs(outputs);
    this.iter++;
    const turn = yieldToEventLoop();
    if (turn) await turn;
  }
}
