/**
 * @trainkit/hook-ema: EMAHook and the averaged models it builds (ExponentialMovingAverage,
 * MomentumAnnealingEMA, StochasticWeightAverage), each also usable on its own.
 */
import { HOOKS, MODELS, type z } from '@trainkit/core';
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

const from = '@trainkit/hook-ema';
HOOKS.register('EMAHook', EMAHook, { options: emaHookOptions, from });
MODELS.register('ExponentialMovingAverage', ExponentialMovingAverage, { options: exponentialMovingAverageOptions, from });
MODELS.register('MomentumAnnealingEMA', MomentumAnnealingEMA, { options: momentumAnnealingEMAOptions, from });
MODELS.register('StochasticWeightAverage', StochasticWeightAverage, { options: stochasticWeightAverageOptions, from });

declare module '@trainkit/core' {
  interface HookOptionsMap {
    EMAHook: EMAHookOptions;
  }
  interface ModelOptionsMap {
    ExponentialMovingAverage: z.input<typeof exponentialMovingAverageOptions>;
    MomentumAnnealingEMA: z.input<typeof momentumAnnealingEMAOptions>;
    StochasticWeightAverage: z.input<typeof stochasticWeightAverageOptions>;
  }
}
