import * as fs from 'node:fs';
import * as path from 'node:path';
import { RegistryError } from '../errors.js';
import { importFile } from '../utils/import-module.js';

/** What a package's `"trainkit"` field in package.json declares. */
export interface PluginManifest {
  name: string;
  version: string;
  dir: string;
  /** Type names by registry key (`HOOKS`, `VISBACKENDS`, ...). */
  provides: Record<string, string[]>;
  /** CLI sub-commands: name to module path (relative to the package). */
  commands: Record<string, string>;
}

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  trainkit?: { provides?: Record<string, string[]>; commands?: Record<string, string> };
}

const cache = new Map<string, PluginManifest[]>();

/** Every `node_modules` folder from `dir` up to the filesystem root. */
function nodeModulesUp(dir: string): string[] {
  const out: string[] = [];
  let d = path.resolve(dir);
  for (;;) {
    const nm = path.join(d, 'node_modules');
    if (fs.existsSync(nm)) out.push(nm);
    const parent = path.dirname(d);
    if (parent === d) return out;
    d = parent;
  }
}

function readJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/** Installed packages with a `"trainkit"` manifest, visible from any of `dirs`. */
export function findInstalledPlugins(dirs: string[] = [process.cwd()]): PluginManifest[] {
  const key = dirs.map((d) => path.resolve(d)).join('\0');
  const hit = cache.get(key);
  if (hit) return hit;
  const seen = new Map<string, PluginManifest>();
  for (const dir of dirs) {
    for (const nm of nodeModulesUp(dir)) {
      for (const entry of safeReaddir(nm)) {
        const candidates = entry.startsWith('@') ? safeReaddir(path.join(nm, entry)).map((e) => path.join(nm, entry, e)) : [path.join(nm, entry)];
        for (const pkgDir of candidates) {
          const pkg = readJson(path.join(pkgDir, 'package.json'));
          if (!pkg?.trainkit || !pkg.name || seen.has(pkg.name)) continue;
          seen.set(pkg.name, {
            name: pkg.name,
            version: pkg.version ?? '0.0.0',
            dir: fs.realpathSync(pkgDir),
            provides: pkg.trainkit.provides ?? {},
            commands: pkg.trainkit.commands ?? {},
          });
        }
      }
    }
  }
  const list = [...seen.values()];
  cache.set(key, list);
  return list;
}

let searchDirs: string[] = [process.cwd()];

/** Where the current run looks for plugins (the config's folder and the working directory). */
export function setPluginSearchDirs(dirs: string[]): void {
  searchDirs = dirs;
}

/** Type names that installed plugins declare for the registry `manifestKey` (imported or not). */
export function installedTypeNames(manifestKey: string): string[] {
  return findInstalledPlugins(searchDirs).flatMap((p) => p.provides[manifestKey] ?? []);
}

export function clearPluginCache(): void {
  cache.clear();
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((e) => !e.startsWith('.'));
  } catch {
    return [];
  }
}

/**
 * The plugin that declares `type` (in registry `registryKey`, or any registry). Two installed
 * packages declaring it is an error naming both: which one a config means is never decided by
 * the order of folders on disk.
 */
export function findProvider(type: string, plugins: PluginManifest[], registryKey?: string): PluginManifest | undefined {
  const providers = plugins.filter((p) => Object.entries(p.provides).some(([reg, names]) => (!registryKey || reg === registryKey) && names.includes(type)));
  if (providers.length > 1) {
    const [a, b] = providers;
    throw new RegistryError(`"${type}" is provided by two installed packages: ${a.name} (${a.dir}) and ${b.name} (${b.dir})`, {
      fix: `choose one: import it first with custom_imports: {imports: ['${a.name}']} (its registration wins, the other is not imported), name it by scope ('<scope>.${type}') if the package registers under its own scope, or uninstall the other`,
    });
  }
  return providers[0];
}

/**
 * The module file a package's export points to. Under vitest the `@trainkit/source` condition
 * (this workspace's TypeScript sources) is preferred so that tests and plugins share one module
 * graph, but only where that file exists: published packages do not carry the condition, and a
 * stale or foreign one must never send an import to a file that is not there.
 */
export function packageEntry(dir: string, subpath = '.'): string {
  const pkg = readJson(path.join(dir, 'package.json')) ?? {};
  if (process.env.VITEST) {
    const source = exportTarget(pkg, subpath, ['@trainkit/source']);
    if (source && fs.existsSync(path.join(dir, source))) return path.join(dir, source);
  }
  const target = exportTarget(pkg, subpath, ['import', 'node', 'default']);
  if (target) return path.join(dir, target);
  if (subpath !== '.') return path.join(dir, subpath);
  return path.join(dir, pkg.main ?? 'index.js');
}

function exportTarget(pkg: PackageJson, subpath: string, conditions: string[]): string | undefined {
  const exports = pkg.exports as Record<string, unknown> | string | undefined;
  const hasSubpaths = exports !== null && typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  if (hasSubpaths) return resolveExport((exports as Record<string, unknown>)[subpath], conditions);
  return subpath === '.' ? resolveExport(exports, conditions) : undefined;
}

function resolveExport(exports: unknown, conditions: string[]): string | undefined {
  if (exports === undefined || exports === null) return undefined;
  if (typeof exports === 'string') return exports;
  if (Array.isArray(exports)) return resolveExport(exports[0], conditions);
  if (typeof exports === 'object') {
    const map = exports as Record<string, unknown>;
    for (const c of conditions) if (c in map) return resolveExport(map[c], conditions);
  }
  return undefined;
}

/** `@scope/name/sub/path` -> [`@scope/name`, `./sub/path`]; `name` -> [`name`, `.`]. */
export function splitPackageSpecifier(spec: string): [string, string] {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return [parts.slice(0, n).join('/'), rest ? `./${rest}` : '.'];
}

/** Resolves a package name as seen from `fromDir` (walking up node_modules). */
export function findPackageDir(name: string, fromDir: string): string | undefined {
  for (const nm of nodeModulesUp(fromDir)) {
    const dir = path.join(nm, ...name.split('/'));
    if (fs.existsSync(path.join(dir, 'package.json'))) return fs.realpathSync(dir);
  }
  return undefined;
}

const imported = new Set<string>();

/** Imports a plugin package once (its side effects register its types). */
export async function importPlugin(plugin: Pick<PluginManifest, 'dir'>, subpath = '.'): Promise<void> {
  const entry = packageEntry(plugin.dir, subpath);
  if (imported.has(entry)) return;
  await importFile(entry);
  imported.add(entry);
}
