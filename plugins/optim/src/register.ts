import { HOOKS, OPTIMIZERS, OPTIM_WRAPPERS, OPTIM_WRAPPER_CONSTRUCTORS, PARAM_SCHEDULERS, type OptionsSchema } from '@trainkit/core';
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

const from = '@trainkit/optim';

const optimizers: Array<[string, unknown, OptionsSchema]> = [
  ['SGD', SGD, sgdOptions],
  ['Adam', Adam, adamOptions],
  ['AdamW', AdamW, adamWOptions],
  ['Adamax', Adamax, adamaxOptions],
  ['NAdam', NAdam, nadamOptions],
  ['RAdam', RAdam, radamOptions],
  ['RMSprop', RMSprop, rmspropOptions],
  ['Adagrad', Adagrad, adagradOptions],
  ['Adadelta', Adadelta, adadeltaOptions],
  ['Lion', Lion, lionOptions],
  ['Rprop', Rprop, rpropOptions],
  ['ASGD', ASGD, asgdOptions],
];
for (const [name, target, options] of optimizers) OPTIMIZERS.register(name, target, { options, from });

OPTIM_WRAPPERS.register('OptimWrapper', OptimWrapper, { options: optimWrapperOptions, from });
OPTIM_WRAPPERS.register('AmpOptimWrapper', AmpOptimWrapper, { options: ampOptimWrapperOptions, from });
// its options are the member names, so there is nothing fixed to declare
OPTIM_WRAPPERS.register('OptimWrapperDict', OptimWrapperDict, { from });

OPTIM_WRAPPER_CONSTRUCTORS.register('DefaultOptimWrapperConstructor', DefaultOptimWrapperConstructor, { options: constructorOptions, from });
OPTIM_WRAPPER_CONSTRUCTORS.register('LearningRateDecayOptimizerConstructor', LearningRateDecayOptimizerConstructor, { options: constructorOptions, from });
OPTIM_WRAPPER_CONSTRUCTORS.register('LayerDecayOptimizerConstructor', LayerDecayOptimizerConstructor, { options: constructorOptions, from });

for (const [name, { target, options }] of Object.entries(SCHEDULERS)) PARAM_SCHEDULERS.register(name, target, { options, from });

HOOKS.register('ParamSchedulerHook', ParamSchedulerHook, { options: paramSchedulerHookOptions, from });
