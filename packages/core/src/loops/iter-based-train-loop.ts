import { z } from 'zod';
import type { BatchIterator } from '../data/dataloader.js';
import type { DataBatch } from '../data/types.js';
import { defineOptions } from '../registry/options.js';
import { BaseTrainLoop, type LoopOptions, trainControlOptions, valScheduleOptions } from './base-loop.js';

const DEFAULT_VAL_INTERVAL = 1000;

export const iterBasedTrainLoopOptions = defineOptions({
  max_iters: z.number().int().positive(),
  ...valScheduleOptions(DEFAULT_VAL_INTERVAL),
  ...trainControlOptions,
  by_epoch: z.literal(false).optional(),
});

export type IterBasedTrainLoopOptions = LoopOptions & z.input<typeof iterBasedTrainLoopOptions>;

/** Trains `max_iters` iterations as one long epoch, validating every `val_interval` iterations. */
export class IterBasedTrainLoop extends BaseTrainLoop {
  readonly maxIters: number;
  readonly maxEpochs = 1;
  private pass = 0;
  private batches: BatchIterator | undefined;

  constructor(opts: IterBasedTrainLoopOptions) {
    super(opts, DEFAULT_VAL_INTERVAL);
    this.maxIters = opts.max_iters;
  }

  async run(): Promise<void> {
    const runner = this.runner;
    this.startClock();
    await runner.callHook('beforeTrain');
    await runner.callHook('beforeTrainEpoch');
    this.startBatches(this.iter);
    while (this.iter < this.maxIters && !this.stopTraining) {
      runner.model.train();
      const batch = await this.nextBatch();
      await this.runIter(this.iter, batch);
      if (runner.stopRequested) break;
      if (this.valDue(this.iter, this.maxIters)) await runner.valLoop!.run();
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
}
