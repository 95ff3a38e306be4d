import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors.js';
import { importFile } from '../utils/import-module.js';
import { type ConfigObject, assertNoPrototypeKeys, isPlainObject } from './merge.js';
import { quoteBaseRefs, substituteEnvInText } from './text-substitutions.js';

export const CONFIG_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '.yaml', '.yml'];

/** What a config file may be given while it is evaluated (TS/JS configs exporting a function). */
export interface ConfigContext {
  /** The merged `_base_` configs of this file. */
  _base_: ConfigObject;
  fileDirname: string;
  fileBasename: string;
  fileBasenameNoExtension: string;
  fileExtname: string;
  env: NodeJS.ProcessEnv;
}

export interface RawConfigFile {
  /** `_base_` paths as written. */
  bases: string[];
  /** The body, or a function of the context for TS/JS configs. */
  body: ConfigObject | ((ctx: ConfigContext) => ConfigObject);
}

/** Reads one config file (no inheritance yet). */
export async function readConfigFile(file: string): Promise<RawConfigFile> {
  const ext = path.extname(file).toLowerCase();
  if (!CONFIG_EXTENSIONS.includes(ext)) {
    throw new ConfigError(`unsupported config file type "${ext || '(none)'}"`, { file, fix: `use one of ${CONFIG_EXTENSIONS.join(' ')}` });
  }
  if (!fs.existsSync(file))
    throw new ConfigError('config file not found', { file, fix: 'check the path (relative paths are resolved from the current folder)' });
  let value: unknown;
  let exportedBases: unknown;
  if (ext === '.json' || ext === '.yaml' || ext === '.yml') {
    const text = quoteBaseRefs(substituteEnvInText(fs.readFileSync(file, 'utf8'), process.env, ext === '.json', file));
    try {
      // yaml is loaded only for YAML configs: it is not on the path of every start
      value = ext === '.json' ? JSON.parse(text) : (await import('yaml')).parse(text);
    } catch (e) {
      throw new ConfigError(`cannot parse the config: ${(e as Error).message}`, { file });
    }
  } else {
    let mod: Record<string, unknown>;
    try {
      mod = await importFile(path.resolve(file));
    } catch (e) {
      throw new ConfigError(`cannot load the config module: ${(e as Error)?.message ?? String(e)}${await syntaxErrorLocation(e, file)}`, { file });
    }
    value = 'default' in mod ? mod.default : moduleExports(mod);
    // `export const _base_ = [...]` next to the default export (an object or a function)
    if ('default' in mod) exportedBases = mod._base_;
    if (typeof value === 'function') return { bases: basesOf(exportedBases, file), body: value as RawConfigFile['body'] };
  }
  value ??= {};
  // before anything copies the config by assignment, which would turn such a key into a prototype
  assertNoPrototypeKeys(value, '', file);
  if (!isPlainObject(value)) throw new ConfigError('a config must be an object (or, in TS/JS, export one or a function returning one)', { file, found: value });
  const { _base_, ...body } = value;
  if (_base_ !== undefined && exportedBases !== undefined) {
    throw new ConfigError('_base_ is given twice (exported and inside the default export)', { file, path: '_base_', fix: 'keep one of them' });
  }
  return { bases: basesOf(_base_ ?? exportedBases, file), body };
}

/** A module without a default export: its named exports are the config (like Python's names). */
function moduleExports(mod: Record<string, unknown>): ConfigObject {
  const out: ConfigObject = {};
  for (const [k, v] of Object.entries(mod)) if (!k.startsWith('__')) out[k] = v;
  return out;
}

function basesOf(value: unknown, file: string): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const b of list) {
    if (typeof b !== 'string') throw new ConfigError('_base_ must be a path or a list of paths', { file, path: '_base_', found: value });
  }
  return list as string[];
}

/**
 * Where a syntax error is. For CommonJS, Node puts `file:LINE` and the offending line with a
 * caret at the top of the stack; for ES modules it does not, so the file is parsed again with
 * esbuild (already used for TS configs), whose error has the line and column.
 */
async function syntaxErrorLocation(e: unknown, file: string): Promise<string> {
  if (!(e instanceof SyntaxError)) return '';
  const m = e.stack ? /:(\d+)\s*\n([^\n]*)\n(\s*\^+)/.exec(e.stack.split('\nSyntaxError')[0]) : null;
  if (m) return ` (line ${m[1]})\n    ${m[2]}\n    ${m[3]}`;
  try {
    const { transformSync } = await import('esbuild');
    transformSync(fs.readFileSync(file, 'utf8'), { loader: 'js', format: 'esm', sourcefile: file });
  } catch (parseError) {
    const loc = (parseError as { errors?: Array<{ location?: { line: number; column: number; lineText: string } }> }).errors?.[0]?.location;
    if (loc) return ` (line ${loc.line}, column ${loc.column + 1})\n    ${loc.lineText}\n    ${' '.repeat(loc.column)}^`;
  }
  return '';
}
