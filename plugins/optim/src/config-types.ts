import type { OptimizerConfig, z } from '@trainkit/core';
import type { adadeltaOptions } from './optimizers/adadelta.js';
import type { adagradOptions } from './optimizers/adagrad.js';
import type { adamOptions, adamWOptions } from './optimizers/adam.js';
import type { adamaxOptions } from './optimizers/adamax.js';
import type { lionOptions } from './optimizers/lion.js';
import type { nadamOptions } from './optimizers/nadam.js';
import type { radamOptions } from './optimizers/radam.js';
import type { rmspropOptions } from './optimizers/rmsprop.js';
import type { rpropOptions } from './optimizers/rprop.js';
import type { asgdOptions } from './optimizers/asgd.js';
import type { sgdOptions } from './optimizers/sgd.js';
import type { SCHEDULERS } from './schedulers/index.js';
import type { ampOptimWrapperOptions, optimWrapperOptions } from './wrappers/options.js';

type SchedulerOptions = { [K in keyof typeof SCHEDULERS]: z.input<(typeof SCHEDULERS)[K]['options']> };

/** The wrapper's own options plus the optimizer config the constructor builds for it. */
type WithOptimizer<T> = T & { optimizer: OptimizerConfig };

declare module '@trainkit/core' {
  interface OptimizerOptionsMap {
    SGD: z.input<typeof sgdOptions>;
    Adam: z.input<typeof adamOptions>;
    AdamW: z.input<typeof adamWOptions>;
    Adamax: z.input<typeof adamaxOptions>;
    NAdam: z.input<typeof nadamOptions>;
    RAdam: z.input<typeof radamOptions>;
    RMSprop: z.input<typeof rmspropOptions>;
    Rprop: z.input<typeof rpropOptions>;
    ASGD: z.input<typeof asgdOptions>;
    Adagrad: z.input<typeof adagradOptions>;
    Adadelta: z.input<typeof adadeltaOptions>;
    Lion: z.input<typeof lionOptions>;
  }

  interface OptimWrapperOptionsMap {
    OptimWrapper: WithOptimizer<z.input<typeof optimWrapperOptions>>;
    AmpOptimWrapper: WithOptimizer<z.input<typeof ampOptimWrapperOptions>>;
  }

  interface ParamSchedulerOptionsMap extends SchedulerOptions {}

  interface HookOptionsMap {
    // no options of its own (an empty schema's input type would intersect `type` away)
    ParamSchedulerHook: Record<never, never>;
  }
}
