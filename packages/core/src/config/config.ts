import * as path from 'node:path';
import { ConfigError } from '../errors.js';
import { mergeFromDict } from './cfg-options.js';
import { type ConfigContext, readConfigFile } from './load-file.js';
import { type ConfigObject, isPlainObject, mergeConfig, stripDelete } from './merge.js';
import { checkReservedKeys } from './reserved-keys.js';
import { substitute } from './substitute.js';

export interface LoadConfigOptions {
  /** `--cfg-options` overrides, dotted keys to values. */
  cfgOptions?: Record<string, unknown>;
}

/**
 * A resolved config: `_base_` files merged in order, references and variables substituted,
 * overrides applied. The data is a plain object with MMEngine's snake_case keys.
 */
export class Config {
  /** Top-level keys its files read from their bases: variables, not runner keys. */
  readonly variables: ReadonlySet<string>;
  /** Dotted keys set by `--cfg-options` (and other overrides), for error messages. */
  readonly cfgOptionKeys: readonly string[];

  constructor(
    readonly data: ConfigObject,
    /** The file it came from, if any. */
    readonly filename?: string,
    meta: { variables?: Iterable<string>; cfgOptionKeys?: readonly string[] } = {},
  ) {
    checkReservedKeys(data, filename);
    this.variables = new Set(meta.variables ?? []);
    this.cfgOptionKeys = meta.cfgOptionKeys ?? [];
  }

  static async fromFile(file: string, opts: LoadConfigOptions = {}): Promise<Config> {
    const abs = path.resolve(file);
    const variables = new Set<string>();
    const loaded = new Config(await loadWithBases(abs, [], variables), abs, { variables });
    return opts.cfgOptions ? loaded.merge(opts.cfgOptions) : loaded;
  }

  static fromObject(data: ConfigObject, filename?: string): Config {
    return new Config(stripDelete(data), filename);
  }

  get<T = unknown>(key: string): T | undefined {
    return this.data[key] as T | undefined;
  }

  /** The config with overrides applied, as a new Config. */
  merge(options: Record<string, unknown>): Config {
    return new Config(mergeFromDict(this.data, options), this.filename, {
      variables: this.variables,
      cfgOptionKeys: [...this.cfgOptionKeys, ...Object.keys(options)],
    });
  }

  /** The resolved config as JSON text (functions and classes are shown by name). */
  dump(): string {
    return `${JSON.stringify(toDumpable(this.data), null, 2)}\n`;
  }
}

async function loadWithBases(file: string, chain: string[], variables: Set<string>): Promise<ConfigObject> {
  if (chain.includes(file)) {
    throw new ConfigError(`_base_ files include each other: ${[...chain, file].map((f) => path.basename(f)).join(' -> ')}`, { file, path: '_base_' });
  }
  const raw = await readConfigFile(file);
  let base: ConfigObject = {};
  const seenKeys = new Map<string, string>();
  for (const b of raw.bases) {
    const basePath = path.resolve(path.dirname(file), b);
    let loaded: ConfigObject;
    try {
      loaded = await loadWithBases(basePath, [...chain, file], variables);
    } catch (e) {
      if (e instanceof ConfigError && e.message.includes('config file not found') && e.file === basePath) {
        throw new ConfigError(`_base_ file "${b}" not found (looked at ${basePath})`, {
          file,
          path: '_base_',
          fix: 'paths in _base_ are relative to the folder of the file that lists them',
        });
      }
      throw e;
    }
    for (const k of Object.keys(loaded)) {
      const other = seenKeys.get(k);
      if (other) {
        throw new ConfigError(`Duplicate key is not allowed among bases: "${k}" is in both ${other} and ${b}`, {
          file,
          path: '_base_',
          fix: `define ${k} in one base only, or override it in this file`,
        });
      }
      seenKeys.set(k, b);
    }
    base = { ...base, ...loaded };
  }
  const ctx: ConfigContext = {
    _base_: base,
    fileDirname: path.dirname(file),
    fileBasename: path.basename(file),
    fileBasenameNoExtension: path.basename(file, path.extname(file)),
    fileExtname: path.extname(file),
    env: process.env,
  };
  let produced: unknown;
  try {
    produced = typeof raw.body === 'function' ? raw.body({ ...ctx, _base_: recordReads(base, variables) }) : raw.body;
  } catch (e) {
    throw new ConfigError(`the config function threw: ${(e as Error)?.message ?? String(e)}${whereThrown(e, file)}`, { file, fix: 'fix the config function' });
  }
  if (!isPlainObject(produced)) throw new ConfigError('a config function must return an object', { file, found: produced });
  let body: ConfigObject = produced;
  if ('_base_' in body) {
    const { _base_: _ignored, ...rest } = body;
    body = rest;
  }
  body = resolveImportPaths(substitute(body, ctx, file, '', variables) as ConfigObject, path.dirname(file));
  return mergeConfig(body, base, '', file);
}

/** ` (at line L)` of the config file in a thrown error's stack, when it is there. */
function whereThrown(e: unknown, file: string): string {
  const stack = (e as Error)?.stack ?? '';
  const name = path.basename(file);
  const line = stack.split('\n').find((l) => l.includes(name));
  const m = line && /:(\d+):(\d+)\)?\s*$/.exec(line);
  return m ? ` (line ${m[1]}, column ${m[2]})` : '';
}

/** `_base_` as a config function sees it: the top-level keys it reads are recorded as variables. */
function recordReads(base: ConfigObject, variables: Set<string>): ConfigObject {
  return new Proxy(base, {
    get(target, key, receiver) {
      if (typeof key === 'string' && key in target) variables.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
}

/**
 * Relative `custom_imports` paths are made absolute against the file that lists them, so a
 * `_base_` file can import modules next to itself (MMEngine only takes module names).
 */
function resolveImportPaths(body: ConfigObject, dir: string): ConfigObject {
  const ci = body.custom_imports as { imports?: unknown } | undefined;
  if (!ci || typeof ci !== 'object' || ci.imports === undefined) return body;
  const abs = (s: unknown) => (typeof s === 'string' && (s.startsWith('./') || s.startsWith('../')) ? path.resolve(dir, s) : s);
  const imports = Array.isArray(ci.imports) ? ci.imports.map(abs) : abs(ci.imports);
  return { ...body, custom_imports: { ...ci, imports } };
}

function toDumpable(v: unknown): unknown {
  if (typeof v === 'function') return `[${/^class\s/.test(Function.prototype.toString.call(v)) ? 'class' : 'function'} ${v.name || 'anonymous'}]`;
  if (Array.isArray(v)) return v.map(toDumpable);
  if (v && typeof v === 'object') {
    if (ArrayBuffer.isView(v)) return `[${v.constructor.name}]`;
    if (!isPlainObject(v)) return `[${v.constructor?.name ?? 'object'}]`;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toDumpable(x)]));
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}
