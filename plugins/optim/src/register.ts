import type { OptionsSchema } from '@trainkit/core';
import { definePlugin } from '@trainkit/core/plugin';
import { DefaultOptimWrapperConstructor } from './constructors/default-constructor.js';
import { LayerDecayOptimizerConstructor, LearningRateDecayOptimizerConstructor } from './constructors/layer-decay-constructor.js';
import { constructorOptions } from './constructors/options.js';
import { ParamSchedulerHook, paramSchedulerHookOptions } from './hooks/param-scheduler-hook.js';
import { Adadelta, adadeltaOptions } from './optimizers/adadelta.js';
import { Adagrad, adagradOptions } from './optimizers/adagrad.js';
import { Adam, AdamW, adamOptions, adamWOptions } from './optimizers/adam.js';
import { Adamax, adamaxOptions } from './optimizers/adamax.js';
import { Lion, lionOptions } from './optimizers/lion.js';
import { NAdam, nadamOptions } from './optimizers/nadam.js';
import { RAdam, radamOptions } from './optimizers/radam.js';
import { RMSprop, rmspropOptions } from './optimizers/rmsprop.js';
import { Rprop, rpropOptions } from './optimizers/rprop.js';
import { ASGD, asgdOptions } from './optimizers/asgd.js';
import { SGD, sgdOptions } from './optimizers/sgd.js';
import { SCHEDULERS } from './schedulers/index.js';
import { AmpOptimWrapper } from './wrappers/amp-optim-wrapper.js';
import { OptimWrapper } from './wrappers/optim-wrapper.js';
import { OptimWrapperDict } from './wrappers/optim-wrapper-dict.js';
import { ampOptimWrapperOptions, optimWrapperOptions } from './wrappers/options.js';

type Provided = { cls: unknown; options?: OptionsSchema };

const optimizers: Record<string, Provided> = {
  SGD: { cls: SGD, options: sgdOptions },
  Adam: { cls: Adam, options: adamOptions },
  AdamW: { cls: AdamW, options: adamWOptions },
  Adamax: { cls: Adamax, options: adamaxOptions },
  NAdam: { cls: NAdam, options: nadamOptions },
  RAdam: { cls: RAdam, options: radamOptions },
  RMSprop: { cls: RMSprop, options: rmspropOptions },
  Adagrad: { cls: Adagrad, options: adagradOptions },
  Adadelta: { cls: Adadelta, options: adadeltaOptions },
  Lion: { cls: Lion, options: lionOptions },
  Rprop: { cls: Rprop, options: rpropOptions },
  ASGD: { cls: ASGD, options: asgdOptions },
};

/** The package's one declaration (config types are in config-types.ts: they are generic). */
export const plugin = definePlugin({
  name: '@trainkit/optim',
  provides: {
    OPTIMIZERS: optimizers,
    OPTIM_WRAPPERS: {
      OptimWrapper: { cls: OptimWrapper, options: optimWrapperOptions },
      AmpOptimWrapper: { cls: AmpOptimWrapper, options: ampOptimWrapperOptions },
      // its options are the member names, so there is nothing fixed to declare
      OptimWrapperDict: { cls: OptimWrapperDict },
    },
    OPTIM_WRAPPER_CONSTRUCTORS: {
      DefaultOptimWrapperConstructor: { cls: DefaultOptimWrapperConstructor, options: constructorOptions },
      LearningRateDecayOptimizerConstructor: { cls: LearningRateDecayOptimizerConstructor, options: constructorOptions },
      LayerDecayOptimizerConstructor: { cls: LayerDecayOptimizerConstructor, options: constructorOptions },
    },
    PARAM_SCHEDULERS: Object.fromEntries(Object.entries(SCHEDULERS).map(([name, { target, options }]) => [name, { cls: target, options }])) as Record<
      string,
      Provided
    >,
    HOOKS: { ParamSchedulerHook: { cls: ParamSchedulerHook, options: paramSchedulerHookOptions } },
  },
});
