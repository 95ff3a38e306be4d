import { ConfigError } from '../errors.js';
import type { ConfigContext } from './load-file.js';
import { isPlainObject } from './merge.js';

const PREDEFINED = /\{\{\s*(fileDirname|fileBasename|fileBasenameNoExtension|fileExtname)\s*\}\}/g;
const ENV = /\{\{\s*\$(\w+)(?::([^}]*))?\s*\}\}/g;
const BASE_REF = /\{\{\s*_base_\.([\w.]+)\s*\}\}/g;
const WHOLE_BASE_REF = /^\{\{\s*_base_\.([\w.]+)\s*\}\}$/;

/**
 * MMEngine's config substitutions on string values: `{{ fileDirname }}` and friends,
 * `{{$VAR:default}}` from the environment, and `{{_base_.a.b}}` (a whole-string reference takes
 * the base value with its type, e.g. a dict).
 */
export function substitute(value: unknown, ctx: ConfigContext, file: string, at = '', used?: Set<string>): unknown {
  if (typeof value === 'string') return substituteString(value, ctx, file, at, used);
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, ctx, file, `${at}.${i}`, used));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, ctx, file, at ? `${at}.${k}` : k, used);
    return out;
  }
  return value;
}

function substituteString(s: string, ctx: ConfigContext, file: string, at: string, used?: Set<string>): unknown {
  if (!s.includes('{{')) return s;
  const whole = WHOLE_BASE_REF.exec(s);
  if (whole) return structuredCloneSafe(lookupBase(ctx, whole[1], file, at, used));
  return s
    .replace(PREDEFINED, (_, name: keyof ConfigContext) => String(ctx[name]))
    .replace(ENV, (_, name: string, fallback: string | undefined) => {
      const v = ctx.env[name];
      if (v !== undefined) return v;
      if (fallback === undefined || fallback === '') {
        throw new ConfigError(`environment variable ${name} is not set and has no default`, {
          file,
          path: at,
          fix: `set ${name}, or write {{$${name}:default}}`,
        });
      }
      return fallback;
    })
    .replace(BASE_REF, (_, key: string) => String(lookupBase(ctx, key, file, at, used)));
}

function lookupBase(ctx: ConfigContext, key: string, file: string, at: string, used?: Set<string>): unknown {
  used?.add(key.split('.')[0]);
  let v: unknown = ctx._base_;
  for (const part of key.split('.')) {
    if (v === null || typeof v !== 'object' || !(part in (v as object))) {
      throw new ConfigError(`{{_base_.${key}}} refers to a value the bases do not define`, { file, path: at, fix: 'check the key against the _base_ files' });
    }
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function structuredCloneSafe(v: unknown): unknown {
  try {
    return structuredClone(v);
  } catch {
    return v;
  }
}
