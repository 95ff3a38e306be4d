import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { defineOptions } from '../registry/options.js';
import { BaseTrainLoop, type LoopOptions, trainControlOptions, valScheduleOptions } from './base-loop.js';

const DEFAULT_VAL_INTERVAL = 1;

export const epochBasedTrainLoopOptions = defineOptions({
  max_epochs: z.number().int().positive(),
  ...valScheduleOptions(DEFAULT_VAL_INTERVAL),
  ...trainControlOptions,
  by_epoch: z.literal(true).optional(),
});

export type EpochBasedTrainLoopOptions = LoopOptions & z.input<typeof epochBasedTrainLoopOptions>;

/** Trains `max_epochs` passes over the data, validating every `val_interval` epochs. */
export class EpochBasedTrainLoop extends BaseTrainLoop {
  readonly maxEpochs: number;

  constructor(opts: EpochBasedTrainLoopOptions) {
    super(opts, DEFAULT_VAL_INTERVAL);
    this.maxEpochs = opts.max_epochs;
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
    this.startClock();
    await runner.callHook('beforeTrain');
    while (this.epoch < this.maxEpochs && !this.stopTraining) {
      const finished = await this.runEpoch();
      if (!finished) break;
      if (this.valDue(this.epoch, this.maxEpochs)) await runner.valLoop!.run();
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
}
