import { parseOptions, type z } from '@trainkit/core';
import { type AveragedModelOptions, BaseAveragedModel } from './averaged-model.js';
import { momentumAnnealingEMAOptions } from './options.js';

export type MomentumAnnealingEMAOptions = Omit<AveragedModelOptions, 'interval' | 'update_buffers'> & z.input<typeof momentumAnnealingEMAOptions>;

/**
 * An exponential moving average whose momentum starts high and anneals to `momentum`: the update
 * made after `steps` updates uses `max(momentum, gamma / (gamma + steps))`, so early on the
 * average follows the weights closely (a plain mean while `gamma / (gamma + steps)` dominates).
 */
export class MomentumAnnealingEMA extends BaseAveragedModel {
  readonly momentum: number;
  readonly gamma: number;

  constructor(opts: MomentumAnnealingEMAOptions) {
    const { model, ...rest } = opts;
    const o = parseOptions(momentumAnnealingEMAOptions, rest, '', 'MomentumAnnealingEMA');
    super({ model, interval: o.interval, update_buffers: o.update_buffers });
    this.momentum = o.momentum;
    this.gamma = o.gamma;
  }

  protected weightOfNew(steps: number): number {
    return Math.max(this.momentum, this.gamma / (this.gamma + steps));
  }
}
