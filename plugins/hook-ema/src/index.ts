/**
 * @trainkit/hook-ema: EMAHook and the averaged models it builds (ExponentialMovingAverage,
 * MomentumAnnealingEMA, StochasticWeightAverage), each also usable on its own.
 */
import { type PluginOptions, definePlugin } from '@trainkit/core/plugin';
import { EMAHook } from './ema-hook.js';
import { ExponentialMovingAverage } from './exponential-moving-average.js';
import { MomentumAnnealingEMA } from './momentum-annealing-ema.js';
import {
  type EMAHookOptions,
  emaHookOptions,
  exponentialMovingAverageOptions,
  momentumAnnealingEMAOptions,
  stochasticWeightAverageOptions,
} from './options.js';
import { StochasticWeightAverage } from './stochastic-weight-average.js';

export { BaseAveragedModel, type AveragedLoadReport, type AveragedModelOptions, type AveragingSource } from './averaged-model.js';
export { ExponentialMovingAverage, type ExponentialMovingAverageOptions } from './exponential-moving-average.js';
export { MomentumAnnealingEMA, type MomentumAnnealingEMAOptions } from './momentum-annealing-ema.js';
export { StochasticWeightAverage, type StochasticWeightAverageOptions } from './stochastic-weight-average.js';
export { EMAHook } from './ema-hook.js';
export { swapEmaStateDict } from './checkpoint-swap.js';
export {
  type AveragedModelOptionsMap,
  type EMAHookOptions,
  emaHookOptions,
  exponentialMovingAverageOptions,
  momentumAnnealingEMAOptions,
  stochasticWeightAverageOptions,
} from './options.js';

export const plugin = definePlugin({
  name: '@trainkit/hook-ema',
  provides: {
    HOOKS: { EMAHook: { cls: EMAHook, options: emaHookOptions } },
    MODELS: {
      ExponentialMovingAverage: { cls: ExponentialMovingAverage, options: exponentialMovingAverageOptions },
      MomentumAnnealingEMA: { cls: MomentumAnnealingEMA, options: momentumAnnealingEMAOptions },
      StochasticWeightAverage: { cls: StochasticWeightAverage, options: stochasticWeightAverageOptions },
    },
  },
});

declare module '@trainkit/core' {
  // EMAHook's options depend on ema_type (each averaged model's own), finer than the schema says
  interface HookOptionsMap {
    EMAHook: EMAHookOptions;
  }
  // the averaged models' config types follow from the declaration
  interface ModelOptionsMap extends PluginOptions<typeof plugin, 'MODELS'> {}
}
