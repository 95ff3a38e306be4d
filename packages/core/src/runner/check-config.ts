import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config/config.js';
import { ConfigErrorList } from '../config/config-error-list.js';
import { isPlainObject, type ConfigObject } from '../config/merge.js';
import { validateConfig } from '../config/validate.js';
import type { EnvConfig } from '../config/types.js';
import { FALLBACK_BACKEND, setupBackend } from '../env/backend.js';
import { ConfigError } from '../errors.js';
import type { Hook } from '../hooks/hook.js';
import type { OptimWrapperLike } from '../optim/types.js';
import { type CustomImports, importCustomModules } from '../registry/custom-imports.js';
import { ensureTypes } from '../registry/ensure-types.js';
import { setDefaultScope } from '../registry/default-scope.js';
import { optionIssues } from '../registry/options.js';
import type { Registry } from '../registry/registry.js';
import { HOOKS, VISBACKENDS } from '../registry/root.js';
import { buildDataLoader } from './build-dataloader.js';
import { buildEvaluator } from './build-evaluator.js';
import { buildHook, hookEntries } from './build-hooks.js';
import { buildOptimWrapper, buildParamSchedulers } from './build-optim.js';
import { type CreateRunnerOptions, configDirOf, loadRunConfig, typesToImport } from './create-runner.js';
import { buildModel, checkTriplet } from './runner.js';

export interface CheckOptions extends CreateRunnerOptions {
  /**
   * Check what the config holds without asking for a complete run (print-config of a `_base_`
   * file): no missing-section errors, no implicit default hooks, no load_from file check.
   */
  partial?: boolean;
}

export interface CheckResult {
  /** The resolved config (undefined when the file itself could not be loaded). */
  config: Config | undefined;
  /** Every problem found, in the order of the config's sections. */
  errors: ConfigError[];
}

/**
 * `trainkit check`: loads the config and builds every part of the run (model, dataloaders,
 * evaluators, optimizer, schedulers, hooks, vis backends) without training or writing anything,
 * and returns every problem at once instead of stopping at the first.
 */
export async function checkConfig(input: string | Config | ConfigObject, opts: CheckOptions = {}): Promise<CheckResult> {
  const errors: ConfigError[] = [];
  // anything else is a bug, not a config problem: let it through
  const attempt: Attempt = async (fn) => {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(...(e instanceof ConfigErrorList ? e.errors : [e]));
      return undefined;
    }
  };
  const cfg = await attempt(() => loadRunConfig(input, opts));
  if (!cfg) return { config: undefined, errors };
  const c = cfg.data;
  const configDir = configDirOf(cfg);
  await attempt(() => importCustomModules(c.custom_imports as CustomImports | undefined, configDir));
  await attempt(() => ensureTypes(typesToImport(cfg), [configDir, process.cwd()]));
  errors.push(...validateConfig(c, { variables: cfg.variables, cfgOptionKeys: cfg.cfgOptionKeys }));
  // a wrong env_cfg was reported just above: the rest is built on the cpu backend
  const envValid = !errors.some((e) => e.path?.startsWith('env_cfg'));
  const backend = envValid ? await attempt(() => setupBackend((c.env_cfg ?? {}) as EnvConfig)) : undefined;
  if (backend === undefined) await setupBackend({ backend: FALLBACK_BACKEND });
  if (!opts.partial) for (const [mode, keys] of Object.entries(TRIPLETS)) await attempt(() => checkTriplet(c, mode, keys));
  if (!opts.partial && c.load_from && typeof c.load_from === 'string' && !/^[a-z][\w+.-]*:\/\//i.test(c.load_from)) {
    const file = path.resolve(c.load_from);
    if (!fs.existsSync(file))
      errors.push(new ConfigError('load_from names a file that does not exist', { path: 'load_from', found: c.load_from, fix: `looked at ${file}` }));
  }

  const restoreScope = setDefaultScope(typeof c.default_scope === 'string' ? c.default_scope : undefined);
  try {
    await buildEverything(c, attempt, (found) => errors.push(...found), opts.partial ?? false);
  } finally {
    restoreScope();
  }
  return { config: cfg, errors: dedupe(errors) };
}

type Attempt = <T>(fn: () => T | Promise<T>) => Promise<T | undefined>;

/** Builds every part of the run as the runner would (problems go through `attempt`), then frees it. */
async function buildEverything(c: ConfigObject, attempt: Attempt, report: (errors: ConfigError[]) => void, partial: boolean): Promise<void> {
  const model = partial && c.model == null ? undefined : await attempt(() => buildModel(c.model, c.data_preprocessor));
  const seed = 0;
  const train = c.train_dataloader == null ? undefined : await attempt(() => buildDataLoader(c.train_dataloader, 'train_dataloader', seed, true));
  for (const mode of ['val', 'test'] as const) {
    if (c[`${mode}_dataloader`] != null) await attempt(() => buildDataLoader(c[`${mode}_dataloader`], `${mode}_dataloader`, seed, false));
    if (c[`${mode}_evaluator`] != null) await attempt(() => buildEvaluator(c[`${mode}_evaluator`], `${mode}_evaluator`));
  }
  let wrapper: OptimWrapperLike | undefined;
  if (model && c.optim_wrapper != null) wrapper = await attempt(() => buildOptimWrapper(model, c.optim_wrapper));
  if (wrapper && train && c.param_scheduler != null && isPlainObject(c.train_cfg)) {
    const t = c.train_cfg as { max_epochs?: number; max_iters?: number };
    const maxEpochs = t.max_epochs ?? 0;
    const maxIters = t.max_iters ?? maxEpochs * train.length;
    await attempt(() => buildParamSchedulers(c.param_scheduler, wrapper, { maxEpochs, maxIters, epochLength: train.length, hasTrainLoop: true }));
  }
  const entries = (await attempt(() => hookEntries(c.default_hooks, c.custom_hooks))) ?? [];
  const hooks: Hook[] = [];
  for (const entry of entries) {
    if (partial && entry.implicit) continue;
    // building stops at a hook's first bad option: report all of them
    const problems = entry.implicit ? [] : optionProblems(HOOKS, entry.cfg, entry.path);
    if (problems.length > 1) {
      report(problems);
      continue;
    }
    const hook = await attempt(() => buildHook(entry));
    if (hook && hook !== entry.cfg) hooks.push(hook);
  }

  wrapper?.dispose?.();
  for (const h of hooks) h.dispose?.();
  if (model !== c.model) model?.dispose(); // a model built in code stays its owner's
  report(visBackendIssues(c.visualizer));
}

/** Every bad option of a `{type, ...options}` config of a registry (none when it cannot tell). */
function optionProblems(registry: Registry, cfg: unknown, at: string): ConfigError[] {
  if (!isPlainObject(cfg) || typeof cfg.type !== 'string') return [];
  const { type, _scope_, priority: _p, run_after: _a, run_before: _b, ...own } = cfg;
  try {
    const entry = registry.resolve(type, at, typeof _scope_ === 'string' ? _scope_ : undefined);
    return entry.options ? optionIssues(entry.options, own, at, type) : [];
  } catch {
    return []; // building reports the unknown type
  }
}

const TRIPLETS: Record<string, string[]> = {
  train: ['train_dataloader', 'train_cfg', 'optim_wrapper'],
  val: ['val_dataloader', 'val_cfg', 'val_evaluator'],
  test: ['test_dataloader', 'test_cfg', 'test_evaluator'],
};

/** The vis backends' types and options, checked without constructing them (some write files or connect). */
function visBackendIssues(visualizer: unknown): ConfigError[] {
  if (!isPlainObject(visualizer)) return [];
  const list = visualizer.vis_backends;
  const entries = Array.isArray(list) ? list.map((v, i) => [String(i), v] as const) : isPlainObject(list) ? Object.entries(list) : [];
  const errors: ConfigError[] = [];
  for (const [key, v] of entries) {
    if (!isPlainObject(v)) continue; // an instance
    const at = `visualizer.vis_backends.${key}`;
    const { type, _scope_, ...options } = v;
    if (typeof type !== 'string') continue;
    try {
      const entry = VISBACKENDS.resolve(type, at, typeof _scope_ === 'string' ? _scope_ : undefined);
      if (entry.options) errors.push(...optionIssues(entry.options, options, at, type));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(e);
    }
  }
  return errors;
}

/** The same problem found twice (statically and while building) is reported once. */
function dedupe(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (seen.has(e.message)) return false;
    seen.add(e.message);
    return true;
  });
}
