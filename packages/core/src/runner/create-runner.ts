import * as path from 'node:path';
import { Config } from '../config/config.js';
import type { ConfigObject } from '../config/merge.js';
import { DEFAULT_BACKEND, setupBackend } from '../env/backend.js';
import type { EnvConfig } from '../config/types.js';
import { type CustomImports, importCustomModules } from '../registry/custom-imports.js';
import { collectTypes, ensureTypes } from '../registry/ensure-types.js';
import { DEFAULT_HOOKS } from './build-hooks.js';
import { DEFAULT_CHECKPOINT_FORMAT } from './checkpointing.js';
import { Runner, type RunnerOptions } from './runner.js';

export interface CreateRunnerOptions extends Omit<RunnerOptions, 'backend'> {
  /** `--cfg-options`: dotted keys to values. */
  cfgOptions?: Record<string, unknown>;
  /** Overrides applied after `cfgOptions`, as dotted keys: `work_dir`, `resume`, `randomness.seed`, ... */
  overrides?: Record<string, unknown>;
  /** `work_dir` when the config sets none (the CLI uses `./work_dirs/<config name>`). */
  defaultWorkDir?: string;
  /** Overrides that depend on the loaded config (the CLI's `--amp`, `--auto-scale-lr`), applied after `overrides`. */
  configEdits?: (cfg: Config) => Record<string, unknown>;
}

/**
 * The asynchronous part of starting a run: load the config file, apply overrides, import
 * `custom_imports`, import installed plugins that provide the types the config names, select
 * the tfjs backend, then build the Runner.
 */
export async function createRunner(input: string | Config | ConfigObject, opts: CreateRunnerOptions = {}): Promise<Runner> {
  const cfg = await loadRunConfig(input, opts);
  const configDir = configDirOf(cfg);
  await importCustomModules(cfg.data.custom_imports as CustomImports | undefined, configDir);
  const env = (cfg.data.env_cfg ?? {}) as EnvConfig;
  await ensureTypes(typesToImport(cfg), [configDir, process.cwd()]);
  const backend = await setupBackend(env);
  return new Runner(cfg, { ...opts, backend });
}

/** The config of a run: the file loaded, `cfgOptions` then `overrides` applied, `work_dir` defaulted. */
export async function loadRunConfig(input: string | Config | ConfigObject, opts: CreateRunnerOptions = {}): Promise<Config> {
  let cfg =
    typeof input === 'string' ? await Config.fromFile(input, { cfgOptions: opts.cfgOptions }) : input instanceof Config ? input : Config.fromObject(input);
  if (typeof input !== 'string' && opts.cfgOptions) cfg = cfg.merge(opts.cfgOptions);
  if (opts.overrides) cfg = cfg.merge(opts.overrides);
  if (opts.configEdits) cfg = cfg.merge(opts.configEdits(cfg));
  if (opts.defaultWorkDir && (cfg.data.work_dir === undefined || cfg.data.work_dir === null)) cfg = cfg.merge({ work_dir: opts.defaultWorkDir });
  return cfg;
}

export function configDirOf(cfg: Config): string {
  return cfg.filename ? path.dirname(cfg.filename) : process.cwd();
}

/** Every type name the run may build, so the plugins providing them are imported first. */
export function typesToImport(cfg: Config): Set<string> {
  const env = (cfg.data.env_cfg ?? {}) as EnvConfig;
  const types = collectTypes(cfg.data);
  for (const hook of Object.values(DEFAULT_HOOKS)) types.add(hook.type as string);
  types.add(DEFAULT_CHECKPOINT_FORMAT);
  if (cfg.data.optim_wrapper) for (const t of ['DefaultOptimWrapperConstructor', 'OptimWrapper']) types.add(t);
  types.add(env.backend ?? DEFAULT_BACKEND);
  return types;
}
