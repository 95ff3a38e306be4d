/** @trainkit/hook-ema: EMAHook and the averaged models (ExponentialMovingAverage, MomentumAnnealingEMA, StochasticWeightAverage) */
export {};
