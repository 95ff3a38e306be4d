import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { checkLevel } from '../logging/logger.js';
import { setDefaultScope } from '../registry/default-scope.js';
import { optionIssues } from '../registry/options.js';
import type { Registry } from '../registry/registry.js';
import { LOG_PROCESSORS, LOOPS, VISUALIZERS } from '../registry/root.js';
import { didYouMean } from '../utils/did-you-mean.js';
import { throwConfigErrors } from './config-error-list.js';
import { LEGACY_KEYS, LEGACY_RUNNER_TYPES } from './legacy-keys.js';
import { type ConfigObject, isPlainObject } from './merge.js';
import { RESERVED_KEYS } from './reserved-keys.js';
import { autoScaleLrOptions, customImportsOptions, envCfgOptions, launcherOption, modelWrapperCfgOptions, randomnessOptions } from './sections.js';

/** Checks one top-level section; returns every problem found (none: an empty list). */
export type SectionCheck = (value: unknown, path: string) => ConfigError[];

export interface ValidateOptions {
  /**
   * Top-level keys a child config read from its bases (`{{ _base_.x }}`, `ctx._base_.x`): the
   * config's variables (`dataset_type`, `data_root`, ...), allowed next to the runner's keys.
   */
  variables?: Iterable<string>;
  /** Dotted keys set by `--cfg-options`, so an error can say where a key came from. */
  cfgOptionKeys?: Iterable<string>;
}

const schema =
  (s: z.ZodType, what: string): SectionCheck =>
  (v, p) =>
    optionIssues(s, v, p, what);

const optional =
  (check: SectionCheck): SectionCheck =>
  (v, p) =>
    v === undefined || v === null ? [] : check(v, p);

/** Checked where it is built (`trainkit check` builds it): model, dataloaders, hooks, ... */
const checkedByBuilder: SectionCheck = () => [];

const objectOrNull =
  (what: string): SectionCheck =>
  (v, p) =>
    v === undefined || v === null || typeof v === 'object' ? [] : [new ConfigError(`${what} must be an object`, { path: p, found: v })];

/** A section built through a registry with a default type: its options are the type's schema. */
function registryTyped(registry: Registry, defaultType: string): SectionCheck {
  return (v, p) => {
    if (v === undefined || v === null || (typeof v === 'object' && !isPlainObject(v))) return []; // an instance
    if (!isPlainObject(v)) return [new ConfigError(`${p} must be an object`, { path: p, found: v, fix: `write it as { type: '${defaultType}', ...options }` })];
    const { type = defaultType, _scope_, ...rest } = v;
    return typeOptionIssues(registry, type, _scope_, rest, p);
  };
}

function typeOptionIssues(registry: Registry, type: unknown, scope: unknown, options: ConfigObject, p: string): ConfigError[] {
  if (typeof type === 'function') return [];
  if (typeof type !== 'string') return [new ConfigError('"type" must be a string or a class', { path: `${p}.type`, found: type })];
  try {
    const entry = registry.resolve(type, p, typeof scope === 'string' ? scope : undefined);
    return entry.options ? optionIssues(entry.options, options, p, type) : [];
  } catch (e) {
    if (e instanceof ConfigError) return [e];
    throw e;
  }
}

const trainCfg: SectionCheck = (v, p) => {
  if (!isPlainObject(v))
    return [new ConfigError('train_cfg must be an object', { path: p, found: v, fix: 'e.g. train_cfg: { by_epoch: true, max_epochs: 10 }' })];
  const { type, by_epoch, _scope_, ...rest } = v;
  if (typeof type === 'string' && type in LEGACY_RUNNER_TYPES) {
    return [
      new ConfigError(`"${type}" is an MMCV runner type; MMEngine replaced runners with train loops`, {
        path: `${p}.type`,
        found: type,
        fix: `write ${LEGACY_RUNNER_TYPES[type]}`,
      }),
    ];
  }
  const errors: ConfigError[] = [];
  if (by_epoch !== undefined && typeof by_epoch !== 'boolean') {
    errors.push(new ConfigError('train_cfg.by_epoch must be true or false', { path: `${p}.by_epoch`, found: by_epoch }));
  }
  // the same choice Runner.buildTrainLoop makes
  const loopType = type ?? (by_epoch === false || 'max_iters' in v ? 'IterBasedTrainLoop' : 'EpochBasedTrainLoop');
  return [...errors, ...typeOptionIssues(LOOPS, loopType, _scope_, rest, p)];
};

const evalCfg =
  (defaultType: string): SectionCheck =>
  (v, p) => {
    if (!isPlainObject(v)) return [new ConfigError(`${p} must be an object`, { path: p, found: v, fix: `e.g. ${p}: {}` })];
    const { type = defaultType, _scope_, ...rest } = v;
    return typeOptionIssues(LOOPS, type, _scope_, rest, p);
  };

const customImports: SectionCheck = (v, p) => {
  if (typeof v === 'string' || Array.isArray(v)) {
    return [
      new ConfigError('custom_imports is a dict of imports, not a list', {
        path: p,
        found: v,
        fix: `write custom_imports: { imports: ${JSON.stringify(typeof v === 'string' ? [v] : v)}, allow_failed_imports: false }`,
      }),
    ];
  }
  return optionIssues(customImportsOptions, v, p, 'custom_imports');
};

const logLevel: SectionCheck = (v, p) => {
  try {
    if (typeof v !== 'string') throw new ConfigError('log_level must be a string', { path: p, found: v, fix: "e.g. log_level: 'INFO'" });
    checkLevel(v, p);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [e];
    throw e;
  }
};

const compile: SectionCheck = (v, p) => {
  if (v === false || v === undefined || v === null) return [];
  return [
    new ConfigError('compile is not supported: it selects torch.compile, which has no TensorFlow.js counterpart', {
      path: p,
      found: v,
      fix: 'remove compile (TensorFlow.js runs its kernels as they are)',
    }),
  ];
};

/** Every top-level key the runner reads, with its check. */
export const TOP_LEVEL_KEYS: Record<string, SectionCheck> = {
  custom_imports: optional(customImports),
  default_scope: optional(schema(z.string(), 'default_scope')),
  work_dir: optional(schema(z.string(), 'work_dir')),
  experiment_name: optional(schema(z.string(), 'experiment_name')),
  model: checkedByBuilder,
  data_preprocessor: checkedByBuilder,
  train_dataloader: objectOrNull('train_dataloader'),
  val_dataloader: objectOrNull('val_dataloader'),
  test_dataloader: objectOrNull('test_dataloader'),
  train_cfg: optional(trainCfg),
  val_cfg: optional(evalCfg('ValLoop')),
  test_cfg: optional(evalCfg('TestLoop')),
  val_evaluator: checkedByBuilder,
  test_evaluator: checkedByBuilder,
  optim_wrapper: checkedByBuilder,
  param_scheduler: checkedByBuilder,
  auto_scale_lr: optional(schema(autoScaleLrOptions, 'auto_scale_lr')),
  default_hooks: objectOrNull('default_hooks'),
  custom_hooks: optional((v, p) => (Array.isArray(v) ? [] : [new ConfigError('custom_hooks must be a list of hook configs', { path: p, found: v })])),
  load_from: optional(schema(z.string(), 'load_from')),
  resume: optional(schema(z.union([z.boolean(), z.string()]), 'resume')),
  env_cfg: optional(schema(envCfgOptions, 'env_cfg')),
  log_level: optional(logLevel),
  log_processor: registryTyped(LOG_PROCESSORS, 'LogProcessor'),
  visualizer: registryTyped(VISUALIZERS, 'Visualizer'),
  randomness: optional(schema(randomnessOptions, 'randomness')),
  launcher: optional(schema(launcherOption, 'launcher')),
  model_wrapper_cfg: optional(schema(modelWrapperCfgOptions, 'model_wrapper_cfg')),
  compile,
};

const pluginKeys = new Map<string, { check: SectionCheck; from: string }>();

/**
 * Lets a plugin declare a top-level config key it reads (with the check of its value), so the
 * key is not refused as unknown. `from` names the plugin in messages.
 */
export function declareTopLevelKey(name: string, check: SectionCheck | z.ZodType, from: string): void {
  const existing = TOP_LEVEL_KEYS[name] ? 'trainkit' : pluginKeys.get(name)?.from;
  if (existing && existing !== from) throw new ConfigError(`top-level config key "${name}" is already declared by ${existing}`, { fix: 'choose another name' });
  const fn: SectionCheck = typeof check === 'function' ? check : (v, p) => optionIssues(check, v, p, name);
  pluginKeys.set(name, { check: fn, from });
}

/** The top-level keys a config may have: the runner's and the ones plugins declared. */
export function knownTopLevelKeys(): string[] {
  return [...Object.keys(TOP_LEVEL_KEYS), ...pluginKeys.keys()];
}

/**
 * Checks every section the runner reads without building anything: unknown top-level keys
 * (with MMEngine 0.x keys named with their replacement), `randomness`, `env_cfg`, the loops,
 * `log_processor`, `visualizer`, ... Returns every problem, in config order.
 */
export function validateConfig(data: ConfigObject, opts: ValidateOptions = {}): ConfigError[] {
  const variables = new Set(opts.variables ?? []);
  const fromOptions = [...(opts.cfgOptionKeys ?? [])];
  const errors: ConfigError[] = [];
  // types are looked up as the run will look them up: from the config's default_scope
  const restoreScope = typeof data.default_scope === 'string' ? setDefaultScope(data.default_scope) : () => {};
  try {
    for (const [key, value] of Object.entries(data)) {
      const check = TOP_LEVEL_KEYS[key] ?? pluginKeys.get(key)?.check;
      if (check) {
        errors.push(...check(value, key));
        continue;
      }
      if (variables.has(key)) continue;
      errors.push(topLevelKeyError(key, value, fromOptions));
    }
  } finally {
    restoreScope();
  }
  return errors;
}

/** `validateConfig`, throwing what it finds (one error, or a ConfigErrorList). */
export function assertValidConfig(data: ConfigObject, opts: ValidateOptions = {}): void {
  throwConfigErrors(validateConfig(data, opts));
}

/** Options people write at the top level that live inside a section. */
const NESTED_HOMES: Record<string, string> = {
  max_epochs: 'train_cfg.max_epochs',
  max_iters: 'train_cfg.max_iters',
  val_interval: 'train_cfg.val_interval',
  val_begin: 'train_cfg.val_begin',
  by_epoch: 'train_cfg.by_epoch',
  batch_size: 'train_dataloader.batch_size',
  num_workers: 'train_dataloader.num_workers',
  lr: 'optim_wrapper.optimizer.lr',
  backend: 'env_cfg.backend',
  num_threads: 'env_cfg.num_threads',
  diff_rank_seed: 'randomness.diff_rank_seed',
  dist_cfg: 'env_cfg.dist_cfg',
  mp_cfg: 'env_cfg.mp_cfg',
  vis_backends: 'visualizer.vis_backends',
};

function topLevelKeyError(key: string, value: unknown, fromOptions: string[]): ConfigError {
  const legacy = LEGACY_KEYS[key];
  if (legacy) {
    return new ConfigError(`"${key}" is an MMEngine 0.x (MMCV) key; MMEngine and trainkit use ${legacy.replacement}`, {
      path: key,
      found: value,
      fix: `write ${legacy.example}, and remove ${key}`,
    });
  }
  if (RESERVED_KEYS.includes(key)) {
    return new ConfigError(`"${key}" is reserved for the config file (MMEngine refuses it too)`, { path: key, fix: `rename the key` });
  }
  const option = fromOptions.find((o) => o === key || o.startsWith(`${key}.`));
  const known = knownTopLevelKeys();
  const where = option ? ` (set by --cfg-options ${option}=...)` : '';
  const nested = NESTED_HOMES[key];
  const hint = nested ? ` Did you mean ${nested}?` : didYouMean(key, known);
  return new ConfigError(`unknown top-level key "${key}"${where}: the runner reads no such key.${hint}`, {
    path: key,
    found: value,
    fix: `use one of: ${known.join(', ')}; a value other entries refer to belongs in a _base_ file and is read as {{ _base_.${key} }} (or ctx._base_.${key})`,
  });
}
