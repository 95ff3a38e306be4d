import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { defineOptions } from '../registry/options.js';
import type { DataBatch } from '../data/types.js';
import { type DynamicIntervals, type LoopOptions, disposeOutputs, intervalAt, yieldToEventLoop } from './base-loop.js';
import type { TrainLoop } from './train-loop.js';

export const epochBasedTrainLoopOptions = defineOptions({
  max_epochs: z.number().int().positive(),
  val_begin: z.number().int().min(0).default(1),
  val_interval: z.number().int().positive().default(1),
  dynamic_intervals: z.array(z.tuple([z.number().int(), z.number().int().positive()])).optional(),
  by_epoch: z.literal(true).optional(),
});

export type EpochBasedTrainLoopOptions = LoopOptions & z.input<typeof epochBasedTrainLoopOptions>;

/** Trains `max_epochs` passes over the data, validating every `val_interval` epochs. */
export class EpochBasedTrainLoop implements TrainLoop {
  readonly runner: LoopOptions['runner'];
  readonly dataloader: LoopOptions['dataloader'];
  readonly maxEpochs: number;
  readonly valBegin: number;
  valInterval: number;
  private readonly baseValInterval: number;
  readonly dynamicIntervals: DynamicIntervals | undefined;
  epoch = 0;
  iter = 0;
  stopTraining = false;

  constructor(opts: EpochBasedTrainLoopOptions) {
    this.runner = opts.runner;
    this.dataloader = opts.dataloader;
    this.maxEpochs = opts.max_epochs;
    this.valBegin = opts.val_begin ?? 1;
    this.valInterval = opts.val_interval ?? 1;
    this.baseValInterval = this.valInterval;
    this.dynamicIntervals = opts.dynamic_intervals;
    if (this.dataloader.length === 0) {
      throw new ConfigError('the train dataloader yields no batch', {
        path: 'train_dataloader',
        fix: 'check the dataset size against batch_size and drop_last',
      });
    }
  }

  get maxIters(): number {
    return this.maxEpochs * this.dataloader.length;
  }

  async run(): Promise<void> {
    const runner = this.runner;
    await runner.callHook('beforeTrain');
    while (this.epoch < this.maxEpochs && !this.stopTraining) {
      const finished = await this.runEpoch();
      if (!finished) break;
      this.valInterval = intervalAt(this.epoch + 1, this.baseValInterval, this.dynamicIntervals);
      if (runner.valLoop && this.epoch >= this.valBegin && (this.epoch % this.valInterval === 0 || this.epoch === this.maxEpochs)) {
        await runner.valLoop.run();
      }
      if (runner.stopRequested) break;
    }
    await runner.callHook('afterTrain');
  }

  /** One epoch; false when a stop request cut it short (the state stays mid-epoch). */
  private async runEpoch(): Promise<boolean> {
    const runner = this.runner;
    const len = this.dataloader.length;
    await runner.callHook('beforeTrainEpoch');
    runner.model.train();
    // a resumed run may start in the middle of this epoch
    const skip = Math.max(0, this.iter - this.epoch * len);
    const batches = this.dataloader.batches(skip);
    for (let idx = skip; ; idx++) {
      let batch = batches.next();
      if (batch instanceof Promise) batch = await batch;
      if (!batch) break;
      await this.runIter(idx, batch);
      if (runner.stopRequested && idx + 1 < len) return false;
    }
    await runner.callHook('afterTrainEpoch');
    this.epoch++;
    return true;
  }

  private async runIter(idx: number, batch: DataBatch): Promise<void> {
    const runner = this.runner;
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
