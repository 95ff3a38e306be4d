import { claimProcess } from './one-core.js';
import { Registry } from './registry.js';

// before any registry exists: a second core fails here, naming both copies
export const CORE_COPY = claimProcess();

/**
 * Every registry of trainkit, in one place. Plugins register their types into these; a third
 * party may hang a child registry under one of them (`new Registry('hook', {parent: HOOKS,
 * scope: 'mylib'})`) and select it with `default_scope` or `mylib.Type`.
 */
export const RUNNERS = new Registry('runner');
export const LOOPS = new Registry('loop');
export const HOOKS = new Registry('hook');
export const DATASETS = new Registry('dataset');
export const DATA_SAMPLERS = new Registry('data sampler');
export const TRANSFORMS = new Registry('transform');
export const COLLATE_FUNCTIONS = new Registry('collate function');
export const MODELS = new Registry('model');
export const WEIGHT_INITIALIZERS = new Registry('weight initializer');
export const OPTIMIZERS = new Registry('optimizer');
export const OPTIM_WRAPPERS = new Registry('optim wrapper');
export const OPTIM_WRAPPER_CONSTRUCTORS = new Registry('optimizer wrapper constructor');
export const PARAM_SCHEDULERS = new Registry('parameter scheduler');
export const METRICS = new Registry('metric');
export const EVALUATOR = new Registry('evaluator');
export const VISUALIZERS = new Registry('visualizer');
export const VISBACKENDS = new Registry('vis_backend');
export const LOG_PROCESSORS = new Registry('log_processor');
/** tfjs backends (`env_cfg.backend`): a registered setup function per backend name. */
export const BACKENDS = new Registry('backend');
/** Checkpoint file formats (how a checkpoint dict becomes a file and back). */
export const CHECKPOINT_FORMATS = new Registry('checkpoint format');

/** Registries by the key used in a package's `"trainkit"` manifest. */
export const REGISTRIES = {
  RUNNERS,
  LOOPS,
  HOOKS,
  DATASETS,
  DATA_SAMPLERS,
  TRANSFORMS,
  COLLATE_FUNCTIONS,
  MODELS,
  WEIGHT_INITIALIZERS,
  OPTIMIZERS,
  OPTIM_WRAPPERS,
  OPTIM_WRAPPER_CONSTRUCTORS,
  PARAM_SCHEDULERS,
  METRICS,
  EVALUATOR,
  VISUALIZERS,
  VISBACKENDS,
  LOG_PROCESSORS,
  BACKENDS,
  CHECKPOINT_FORMATS,
} as const;

export type RegistryKey = keyof typeof REGISTRIES;

// "did you mean" hints also name types that installed plugins declare under these keys
for (const [key, registry] of Object.entries(REGISTRIES)) registry.manifestKey = key;
