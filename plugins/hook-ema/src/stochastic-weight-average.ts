import { parseOptions, type z } from '@trainkit/core';
import { type AveragedModelOptions, BaseAveragedModel } from './averaged-model.js';
import { stochasticWeightAverageOptions } from './options.js';

export type StochasticWeightAverageOptions = Omit<AveragedModelOptions, 'interval' | 'update_buffers'> & z.input<typeof stochasticWeightAverageOptions>;

/**
 * Stochastic Weight Averaging: the plain mean of the weights seen at every `interval`-th update
 * (the update after `steps` updates weighs the new value `1 / (floor(steps / interval) + 1)`).
 */
export class StochasticWeightAverage extends BaseAveragedModel {
  constructor(opts: StochasticWeightAverageOptions) {
    const { model, ...rest } = opts;
    const o = parseOptions(stochasticWeightAverageOptions, rest, '', 'StochasticWeightAverage');
    super({ model, interval: o.interval, update_buffers: o.update_buffers });
  }

  protected weightOfNew(steps: number): number {
    return 1 / (Math.floor(steps / this.interval) + 1);
  }
}
