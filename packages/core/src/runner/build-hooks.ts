import { ConfigError } from '../errors.js';
import type { Hook, HookCommonOptions } from '../hooks/hook.js';
import { getPriority } from '../hooks/priority.js';
import { checkHookMethodNames } from '../hooks/hook-method-names.js';
import { getLogger } from '../logging/logger.js';
import { isPlainObject } from '../config/merge.js';
import { HOOKS } from '../registry/root.js';
import { officialPackageFor } from '../registry/official-plugins.js';
import { didYouMean } from '../utils/did-you-mean.js';

/** MMEngine's default hooks, in their fixed order. */
export const DEFAULT_HOOKS: Record<string, Record<string, unknown>> = {
  runtime_info: { type: 'RuntimeInfoHook' },
  timer: { type: 'IterTimerHook' },
  sampler_seed: { type: 'DistSamplerSeedHook' },
  logger: { type: 'LoggerHook' },
  param_scheduler: { type: 'ParamSchedulerHook' },
  checkpoint: { type: 'CheckpointHook', interval: 1 },
};

export interface HookEntry {
  /** Where it comes from in the config, e.g. `default_hooks.logger` or `custom_hooks.0`. */
  path: string;
  cfg: unknown;
  /** A default the user did not touch: skipped with a warning when its plugin is missing. */
  implicit: boolean;
}

/**
 * The hook list of a run: `default_hooks` merged over MMEngine's defaults (`null` removes one,
 * a value replaces it, unknown keys come after the six defaults), then `custom_hooks`.
 */
export function hookEntries(defaultHooks: unknown, customHooks: unknown): HookEntry[] {
  const merged = new Map<string, HookEntry>();
  for (const [k, v] of Object.entries(DEFAULT_HOOKS)) merged.set(k, { path: `default_hooks.${k}`, cfg: v, implicit: true });
  if (defaultHooks !== undefined && defaultHooks !== null) {
    if (!isPlainObject(defaultHooks))
      throw new ConfigError('default_hooks must be an object of name: hook config', { path: 'default_hooks', found: defaultHooks });
    for (const [k, v] of Object.entries(defaultHooks)) {
      if (v === null) {
        if (!merged.has(k)) {
          throw new ConfigError(`default_hooks.${k} is null but there is no default hook named "${k}"`, {
            path: `default_hooks.${k}`,
            fix: `remove it; the defaults are ${Object.keys(DEFAULT_HOOKS).join(', ')}`,
          });
        }
        merged.delete(k);
      } else {
        merged.set(k, { path: `default_hooks.${k}`, cfg: v, implicit: false });
      }
    }
  }
  const entries = [...merged.values()];
  if (customHooks !== undefined && customHooks !== null) {
    if (!Array.isArray(customHooks)) throw new ConfigError('custom_hooks must be a list of hook configs', { path: 'custom_hooks', found: customHooks });
    for (const [i, c] of customHooks.entries()) entries.push({ path: `custom_hooks.${i}`, cfg: c, implicit: false });
  }
  return entries;
}

function isHook(v: unknown): v is Hook {
  return typeof v === 'object' && v !== null && !isPlainObject(v);
}

/** Builds one hook entry, applying `priority`, `run_after` and `run_before` from its config. */
export function buildHook(entry: HookEntry): Hook | undefined {
  if (isHook(entry.cfg)) {
    checkHookMethodNames(entry.cfg, entry.cfg.displayName, entry.path);
    return entry.cfg;
  }
  if (!isPlainObject(entry.cfg)) throw new ConfigError('a hook must be a config object or a Hook instance', { path: entry.path, found: entry.cfg });
  const { priority, run_after, run_before, ...cfg } = entry.cfg as Record<string, unknown> & HookCommonOptions;
  const type = cfg.type;
  if (entry.implicit && typeof type === 'string' && !HOOKS.has(type)) {
    getLogger().warn(
      `default hook ${entry.path.split('.')[1]} (${type}) skipped: its plugin is not installed (${HOOKS.unknownTypeError(type, `${entry.path}.type`).fix})`,
    );
    return undefined;
  }
  const hook = HOOKS.build<Hook>(cfg, {}, entry.path);
  if (typeof type === 'string') hook.typeName = type.includes('.') ? type.slice(type.lastIndexOf('.') + 1) : type;
  checkHookMethodNames(hook, hook.displayName, entry.path);
  if (priority !== undefined) {
    getPriority(priority, `${entry.path}.priority`);
    hook.priority = priority;
  }
  if (run_after !== undefined) hook.runAfter = [...new Set([...hook.runAfter, ...asNames(run_after, `${entry.path}.run_after`)])];
  if (run_before !== undefined) hook.runBefore = [...new Set([...hook.runBefore, ...asNames(run_before, `${entry.path}.run_before`)])];
  return hook;
}

function asNames(v: unknown, path: string): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
    throw new ConfigError('expected a hook type name or a list of them', { path, found: v, fix: "e.g. ['CheckpointHook']" });
  }
  for (const name of list as string[]) {
    // an unknown name constrains nothing, which is almost always a typo
    if (!HOOKS.has(name) && !officialPackageFor('hook', name)) {
      getLogger().warn(`${path}: "${name}" is not a known hook type, so this ordering constraint has no effect.${didYouMean(name, HOOKS.keys())}`);
    }
  }
  return list as string[];
}

/** Inserts by priority keeping registration order for ties (MMEngine's register_hook). */
export function sortHooks(hooks: Hook[]): Hook[] {
  return hooks
    .map((h, i) => ({ h, i, p: getPriority(h.priority) }))
    .sort((a, b) => a.p - b.p || a.i - b.i)
    .map((x) => x.h);
}
