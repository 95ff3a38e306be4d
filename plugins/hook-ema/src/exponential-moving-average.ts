import { getLogger, parseOptions, type z } from '@trainkit/core';
import { type AveragedModelOptions, BaseAveragedModel } from './averaged-model.js';
import { exponentialMovingAverageOptions } from './options.js';

export type ExponentialMovingAverageOptions = Omit<AveragedModelOptions, 'interval' | 'update_buffers'> & z.input<typeof exponentialMovingAverageOptions>;

/**
 * `avg = (1 - momentum) * avg + momentum * weights` at every `interval`-th update. As in MMEngine
 * (and PyTorch's BatchNorm), `momentum` is the weight of the new value: 0.0002 by default.
 */
export class ExponentialMovingAverage extends BaseAveragedModel {
  readonly momentum: number;

  constructor(opts: ExponentialMovingAverageOptions) {
    const { model, ...rest } = opts;
    const o = parseOptions(exponentialMovingAverageOptions, rest, '', 'ExponentialMovingAverage');
    super({ model, interval: o.interval, update_buffers: o.update_buffers });
    this.momentum = o.momentum;
    if (o.momentum > 0.5) {
      getLogger().warn(
        `ExponentialMovingAverage momentum ${o.momentum} is the weight of the NEW weights at each update (MMEngine's convention, not Keras' decay); values are usually small such as 0.0002. For a decay of ${o.momentum} use momentum ${+(1 - o.momentum).toPrecision(6)}.`,
      );
    }
  }

  protected weightOfNew(): number {
    return this.momentum;
  }
}
