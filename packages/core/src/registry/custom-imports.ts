import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors.js';
import { getLogger } from '../logging/logger.js';
import { importFile } from '../utils/import-module.js';
import { findPackageDir, importPlugin, splitPackageSpecifier } from './plugin-discovery.js';

export interface CustomImports {
  imports: string | string[];
  allow_failed_imports?: boolean;
}

/**
 * Imports what `custom_imports` names before anything is built: npm package names (resolved
 * from the config's folder) and file paths (relative to the config file; `.ts` works).
 */
export async function importCustomModules(cfg: CustomImports | undefined, configDir: string): Promise<void> {
  if (!cfg) return;
  if (typeof cfg !== 'object' || cfg.imports === undefined) {
    throw new ConfigError('custom_imports must be {imports: [...], allow_failed_imports?}', { path: 'custom_imports', found: cfg });
  }
  const list = typeof cfg.imports === 'string' ? [cfg.imports] : cfg.imports;
  if (!Array.isArray(list))
    throw new ConfigError('custom_imports.imports must be a string or a list of strings', { path: 'custom_imports.imports', found: cfg.imports });
  for (const [i, spec] of list.entries()) {
    try {
      await importOne(spec, configDir);
    } catch (e) {
      if (cfg.allow_failed_imports) {
        getLogger().warn(`${spec} failed to import and is ignored: ${(e as Error).message}`);
        continue;
      }
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(`cannot import "${spec}": ${(e as Error).message}`, {
        path: `custom_imports.imports.${i}`,
        fix: 'check the module for errors, or set allow_failed_imports: true to go on without it',
      });
    }
  }
}

async function importOne(spec: string, configDir: string): Promise<void> {
  const isPath = spec.startsWith('.') || path.isAbsolute(spec);
  if (isPath) {
    const file = path.resolve(configDir, spec);
    if (!fs.existsSync(file)) {
      throw new ConfigError(`file "${spec}" not found (looked at ${file})`, { path: 'custom_imports.imports', fix: 'paths are relative to the config file' });
    }
    await importFile(file);
    return;
  }
  const [name, subpath] = splitPackageSpecifier(spec);
  const dir = findPackageDir(name, configDir) ?? findPackageDir(name, process.cwd());
  if (!dir) {
    throw new ConfigError(`package "${name}" is not installed`, { path: 'custom_imports.imports', fix: `pnpm add ${name} (or npm install ${name})` });
  }
  await importPlugin({ dir }, subpath);
}
