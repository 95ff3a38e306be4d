import type { OptionsSchema } from '@trainkit/core';
import { ConstantLR, ConstantMomentum, ConstantParamScheduler, constantParamSchedulerOptions, constantSchedulerOptions } from './constant.js';
import {
  CosineAnnealingLR,
  CosineAnnealingMomentum,
  CosineAnnealingParamScheduler,
  cosineAnnealingParamSchedulerOptions,
  cosineAnnealingSchedulerOptions,
} from './cosine-annealing.js';
import {
  CosineRestartLR,
  CosineRestartMomentum,
  CosineRestartParamScheduler,
  cosineRestartParamSchedulerOptions,
  cosineRestartSchedulerOptions,
} from './cosine-restart.js';
import { ExponentialLR, ExponentialMomentum, ExponentialParamScheduler, exponentialParamSchedulerOptions, exponentialSchedulerOptions } from './exponential.js';
import { LinearLR, LinearMomentum, LinearParamScheduler, linearParamSchedulerOptions, linearSchedulerOptions } from './linear.js';
import { MultiStepLR, MultiStepMomentum, MultiStepParamScheduler, multiStepParamSchedulerOptions, multiStepSchedulerOptions } from './multi-step.js';
import { OneCycleLR, OneCycleParamScheduler, oneCycleParamSchedulerOptions, oneCycleSchedulerOptions } from './one-cycle.js';
import { PolyLR, PolyMomentum, PolyParamScheduler, polyParamSchedulerOptions, polySchedulerOptions } from './poly.js';
import {
  ReduceOnPlateauLR,
  ReduceOnPlateauMomentum,
  ReduceOnPlateauParamScheduler,
  reduceOnPlateauParamSchedulerOptions,
  reduceOnPlateauSchedulerOptions,
} from './reduce-on-plateau.js';
import { StepLR, StepMomentum, StepParamScheduler, stepParamSchedulerOptions, stepSchedulerOptions } from './step.js';

/** Every scheduler by its registry name, with the options it declares. */
export const SCHEDULERS = {
  ConstantLR: { target: ConstantLR, options: constantSchedulerOptions },
  ConstantMomentum: { target: ConstantMomentum, options: constantSchedulerOptions },
  ConstantParamScheduler: { target: ConstantParamScheduler, options: constantParamSchedulerOptions },
  LinearLR: { target: LinearLR, options: linearSchedulerOptions },
  LinearMomentum: { target: LinearMomentum, options: linearSchedulerOptions },
  LinearParamScheduler: { target: LinearParamScheduler, options: linearParamSchedulerOptions },
  StepLR: { target: StepLR, options: stepSchedulerOptions },
  StepMomentum: { target: StepMomentum, options: stepSchedulerOptions },
  StepParamScheduler: { target: StepParamScheduler, options: stepParamSchedulerOptions },
  MultiStepLR: { target: MultiStepLR, options: multiStepSchedulerOptions },
  MultiStepMomentum: { target: MultiStepMomentum, options: multiStepSchedulerOptions },
  MultiStepParamScheduler: { target: MultiStepParamScheduler, options: multiStepParamSchedulerOptions },
  ExponentialLR: { target: ExponentialLR, options: exponentialSchedulerOptions },
  ExponentialMomentum: { target: ExponentialMomentum, options: exponentialSchedulerOptions },
  ExponentialParamScheduler: { target: ExponentialParamScheduler, options: exponentialParamSchedulerOptions },
  CosineAnnealingLR: { target: CosineAnnealingLR, options: cosineAnnealingSchedulerOptions },
  CosineAnnealingMomentum: { target: CosineAnnealingMomentum, options: cosineAnnealingSchedulerOptions },
  CosineAnnealingParamScheduler: { target: CosineAnnealingParamScheduler, options: cosineAnnealingParamSchedulerOptions },
  CosineRestartLR: { target: CosineRestartLR, options: cosineRestartSchedulerOptions },
  CosineRestartMomentum: { target: CosineRestartMomentum, options: cosineRestartSchedulerOptions },
  CosineRestartParamScheduler: { target: CosineRestartParamScheduler, options: cosineRestartParamSchedulerOptions },
  PolyLR: { target: PolyLR, options: polySchedulerOptions },
  PolyMomentum: { target: PolyMomentum, options: polySchedulerOptions },
  PolyParamScheduler: { target: PolyParamScheduler, options: polyParamSchedulerOptions },
  OneCycleLR: { target: OneCycleLR, options: oneCycleSchedulerOptions },
  OneCycleParamScheduler: { target: OneCycleParamScheduler, options: oneCycleParamSchedulerOptions },
  ReduceOnPlateauLR: { target: ReduceOnPlateauLR, options: reduceOnPlateauSchedulerOptions },
  ReduceOnPlateauMomentum: { target: ReduceOnPlateauMomentum, options: reduceOnPlateauSchedulerOptions },
  ReduceOnPlateauParamScheduler: { target: ReduceOnPlateauParamScheduler, options: reduceOnPlateauParamSchedulerOptions },
} satisfies Record<string, { target: unknown; options: OptionsSchema }>;

export {
  ConstantLR,
  ConstantMomentum,
  ConstantParamScheduler,
  CosineAnnealingLR,
  CosineAnnealingMomentum,
  CosineAnnealingParamScheduler,
  CosineRestartLR,
  CosineRestartMomentum,
  CosineRestartParamScheduler,
  ExponentialLR,
  ExponentialMomentum,
  ExponentialParamScheduler,
  LinearLR,
  LinearMomentum,
  LinearParamScheduler,
  MultiStepLR,
  MultiStepMomentum,
  MultiStepParamScheduler,
  OneCycleLR,
  OneCycleParamScheduler,
  PolyLR,
  PolyMomentum,
  PolyParamScheduler,
  ReduceOnPlateauLR,
  ReduceOnPlateauMomentum,
  ReduceOnPlateauParamScheduler,
  StepLR,
  StepMomentum,
  StepParamScheduler,
};
