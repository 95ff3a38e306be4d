import { ConfigError } from '../errors.js';
import { type ConfigObject, assertNoPrototypeKeys, isPlainObject, mergeConfig } from './merge.js';

/**
 * Parses one `--cfg-options` value as MMEngine's DictAction does: int, float, true/false (any
 * case), None/null, lists `a,b` or `[a,b]`, tuples `(a,b)` (as lists), nesting, else a string.
 */
export function parseOptionValue(text: string): unknown {
  const s = text.trim();
  const unquoted = s.replace(/^['"]|['"]$/g, '');
  if (/^[[(]/.test(s) || (s.includes(',') && !/^['"]/.test(s))) return parseList(s);
  if (/^[+-]?\d+$/.test(unquoted)) return Number.parseInt(unquoted, 10);
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(unquoted) || /^[+-]?(inf|infinity|nan)$/i.test(unquoted))
    return Number(unquoted.replace(/^([+-]?)inf$/i, '$1Infinity'));
  if (/^true$/i.test(unquoted)) return true;
  if (/^false$/i.test(unquoted)) return false;
  if (unquoted === 'None' || unquoted === 'null') return null;
  return unquoted;
}

function parseList(s: string): unknown[] {
  let body = s;
  const open = s[0];
  if (open === '[' || open === '(') {
    const close = open === '[' ? ']' : ')';
    if (!s.endsWith(close)) throw new ConfigError(`unbalanced brackets in option value ${s}`, { fix: `close it with ${close}` });
    body = s.slice(1, -1);
  }
  if (body.trim() === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of body) {
    if (ch === '[' || ch === '(') depth++;
    if (ch === ']' || ch === ')') depth--;
    if (depth < 0) throw new ConfigError(`unbalanced brackets in option value ${s}`);
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (depth !== 0) throw new ConfigError(`unbalanced brackets in option value ${s}`);
  parts.push(cur);
  return parts.filter((p, i) => p.trim() !== '' || i < parts.length - 1).map((p) => parseOptionValue(p));
}

/** Splits `a.b=1` into key and parsed value. */
export function parseCfgOption(option: string): [string, unknown] {
  const eq = option.indexOf('=');
  if (eq <= 0) throw new ConfigError(`--cfg-options expects KEY=VALUE, got "${option}"`, { fix: 'e.g. --cfg-options train_cfg.max_epochs=2' });
  return [option.slice(0, eq).trim(), parseOptionValue(option.slice(eq + 1))];
}

/**
 * Applies dotted-key overrides (`items.1.b: 5`, `model.depth: 101`). A numeric segment indexes an
 * existing list; unlike MMEngine a plain value may be set at an index (`a.0=5`).
 */
export function mergeFromDict(cfg: ConfigObject, options: Record<string, unknown>): ConfigObject {
  let out = cfg;
  for (const [key, value] of Object.entries(options)) {
    const bad = key.split('.').find((part) => part === '__proto__' || part === 'prototype');
    if (bad)
      throw new ConfigError(`"${bad}" is not allowed in an option key`, {
        path: key,
        fix: `rename or remove "${bad}": it could change the prototype of every object`,
      });
    assertNoPrototypeKeys(value, key);
    out = setPath(out, key.split('.'), value, key);
  }
  return out;
}

function setPath(target: unknown, parts: string[], value: unknown, fullKey: string, at = ''): ConfigObject {
  const [head, ...rest] = parts;
  const here = at ? `${at}.${head}` : head;
  if (Array.isArray(target)) {
    const index = Number(head);
    if (!Number.isInteger(index) || index < 0) throw new ConfigError(`"${head}" is not a list index`, { path: here, fix: `${at} is a list: use a number` });
    if (index >= target.length) {
      throw new ConfigError(`Index ${index} exceeds the length of list ${at} (${target.length})`, {
        path: fullKey,
        fix: `use an index below ${target.length}`,
      });
    }
    const copy = [...target];
    copy[index] = rest.length ? setPath(copy[index], rest, value, fullKey, here) : mergeValue(copy[index], value);
    return copy as unknown as ConfigObject;
  }
  const obj: ConfigObject = isPlainObject(target) ? { ...target } : {};
  obj[head] = rest.length ? setPath(obj[head], rest, value, fullKey, here) : mergeValue(obj[head], value);
  return obj;
}

function mergeValue(existing: unknown, value: unknown): unknown {
  if (isPlainObject(existing) && isPlainObject(value)) return mergeConfig(value, existing);
  return value;
}
