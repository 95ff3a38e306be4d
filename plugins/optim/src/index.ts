/**
 * @trainkit/optim: optimizers with PyTorch's update rules, MMEngine's optimizer wrappers and
 * constructors, every MMEngine parameter scheduler and the hook that steps them. Importing it
 * registers them all (OPTIMIZERS, OPTIM_WRAPPERS, OPTIM_WRAPPER_CONSTRUCTORS, PARAM_SCHEDULERS,
 * HOOKS) and extends core's config types with their options.
 */
import './register.js';
import './config-types.js';

export { plugin } from './register.js';

export {
  Optimizer,
  zerosState,
  type GradientMap,
  type ParamGroupInput,
  type ParamState,
  type Params,
  type OptimizerBaseOptions,
} from './optimizers/optimizer.js';
export { SGD, sgdOptions, type SGDOptions } from './optimizers/sgd.js';
export { Adam, AdamW, adamOptions, adamWOptions, type AdamOptions, type AdamWOptions } from './optimizers/adam.js';
export { Adamax, adamaxOptions, type AdamaxOptions } from './optimizers/adamax.js';
export { NAdam, nadamOptions, type NAdamOptions } from './optimizers/nadam.js';
export { RAdam, radamOptions, type RAdamOptions } from './optimizers/radam.js';
export { RMSprop, rmspropOptions, type RMSpropOptions } from './optimizers/rmsprop.js';
export { Rprop, rpropOptions, type RpropOptions } from './optimizers/rprop.js';
export { ASGD, asgdOptions, type ASGDOptions } from './optimizers/asgd.js';
export { Adagrad, adagradOptions, type AdagradOptions } from './optimizers/adagrad.js';
export { Adadelta, adadeltaOptions, type AdadeltaOptions } from './optimizers/adadelta.js';
export { Lion, lionOptions, type LionOptions } from './optimizers/lion.js';

export { OptimWrapper, type OptimWrapperArgs } from './wrappers/optim-wrapper.js';
export { AmpOptimWrapper, type AmpOptimWrapperArgs } from './wrappers/amp-optim-wrapper.js';
export { OptimWrapperDict } from './wrappers/optim-wrapper-dict.js';
export { LossScaler, type LossScalerState } from './wrappers/loss-scaler.js';
export { GradientAccumulation } from './wrappers/accumulation.js';
export { clipGradNorm, clipGradValue, vectorNorm, type ClipGradSettings } from './wrappers/clip-grad.js';
export {
  optimWrapperOptions,
  ampOptimWrapperOptions,
  clipGradOptions,
  type OptimWrapperOptions,
  type AmpOptimWrapperOptions,
  type ClipGradOptions,
  type LossScalerOptions,
} from './wrappers/options.js';

export { DefaultOptimWrapperConstructor } from './constructors/default-constructor.js';
export { LearningRateDecayOptimizerConstructor, LayerDecayOptimizerConstructor } from './constructors/layer-decay-constructor.js';
export { paramwiseGroups, sortedCustomKeys, matchName, isNormLayer, isDepthwise } from './constructors/paramwise.js';
export { layerIdForConvNeXt, layerIdForViT, stageIdForConvNeXt } from './constructors/layer-ids.js';
export { namedParameters } from './constructors/named-params.js';
export { paramwiseOptions, layerDecayOptions, type ParamwiseOptions, type LayerDecayOptions, type ConstructorArgs } from './constructors/options.js';

export {
  ParamScheduler,
  type ScheduleRule,
  type SchedulerArgs,
  type SchedulerKind,
  type SchedulerSetup,
  type SchedulerTarget,
} from './schedulers/param-scheduler.js';
export { INF, schedulerShape, toIterBased } from './schedulers/common.js';
export * from './schedulers/index.js';
export { linearSchedulerOptions, type LinearSchedulerOptions } from './schedulers/linear.js';
export { constantSchedulerOptions, type ConstantSchedulerOptions } from './schedulers/constant.js';
export { stepSchedulerOptions, type StepSchedulerOptions } from './schedulers/step.js';
export { multiStepSchedulerOptions, type MultiStepSchedulerOptions } from './schedulers/multi-step.js';
export { exponentialSchedulerOptions, type ExponentialSchedulerOptions } from './schedulers/exponential.js';
export { cosineAnnealingSchedulerOptions, type CosineAnnealingSchedulerOptions } from './schedulers/cosine-annealing.js';
export { cosineRestartSchedulerOptions, type CosineRestartSchedulerOptions } from './schedulers/cosine-restart.js';
export { polySchedulerOptions, type PolySchedulerOptions } from './schedulers/poly.js';
export { oneCycleSchedulerOptions, type OneCycleSchedulerOptions } from './schedulers/one-cycle.js';
export { reduceOnPlateauSchedulerOptions, type ReduceOnPlateauSchedulerOptions } from './schedulers/reduce-on-plateau.js';

export { ParamSchedulerHook } from './hooks/param-scheduler-hook.js';
