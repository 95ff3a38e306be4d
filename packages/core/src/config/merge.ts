import { ConfigError, describeValue } from '../errors.js';

export type ConfigObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is ConfigObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Merges a child config into its base as MMEngine does: dicts merge key by key, anything else
 * (numbers, strings, lists) replaces the base value, and `_delete_: true` in a child dict drops
 * the base value for that key. Unlike MMEngine, the `_delete_` marker never survives the merge.
 */
export function mergeConfig(child: ConfigObject, base: ConfigObject, pathPrefix = '', file?: string): ConfigObject {
  if (pathPrefix === '') assertNoPrototypeKeys(child, '', file);
  const out: ConfigObject = { ...base };
  for (const [key, value] of Object.entries(child)) {
    const at = pathPrefix ? `${pathPrefix}.${key}` : key;
    if (isPlainObject(value)) {
      const { _delete_: del, ...rest } = value;
      const baseValue = base[key];
      if (del === true || baseValue === undefined || baseValue === null) {
        out[key] = stripDelete(rest);
      } else if (isPlainObject(baseValue)) {
        out[key] = mergeConfig(rest, baseValue, at, file);
      } else {
        throw new ConfigError(`"${key}" is a dict in the child config but a ${typeName(baseValue)} in its base, so it cannot inherit from it`, {
          path: at,
          file,
          found: value,
          fix: `add _delete_: true to the child's ${key} to replace the base value ${describeValue(baseValue)}`,
        });
      }
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Removes `_delete_` markers anywhere below. */
export function stripDelete(value: ConfigObject): ConfigObject {
  const out: ConfigObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '_delete_') continue;
    out[k] = isPlainObject(v) ? stripDelete(v) : v;
  }
  return out;
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  return typeof v;
}

/**
 * Keys that would reach an object's prototype when assigned (`obj[key] = v`). `constructor` is
 * not among them for configs: MMEngine's `optim_wrapper.constructor` is a real option.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'prototype']);

/** Refuses `__proto__` / `prototype` keys anywhere in a config value (they could change prototypes). */
export function assertNoPrototypeKeys(value: unknown, at = '', file?: string): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) assertNoPrototypeKeys(v, at ? `${at}.${i}` : String(i), file);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const here = at ? `${at}.${k}` : k;
    if (PROTOTYPE_KEYS.has(k)) {
      throw new ConfigError(`"${k}" is not allowed as a config key`, {
        path: here,
        file,
        fix: `rename or remove "${k}": it could change the prototype of every object`,
      });
    }
    assertNoPrototypeKeys(v, here, file);
  }
}
