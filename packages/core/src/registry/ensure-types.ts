import { isPlainObject } from '../config/merge.js';
import { getLogger } from '../logging/logger.js';
import { REGISTRIES } from './root.js';
import { type PluginManifest, findInstalledPlugins, findProvider, importPlugin } from './plugin-discovery.js';

/**
 * Every type name in a config tree: the string `type` of `{type: 'Name'}` objects at any depth,
 * and type names given under `*_type` keys (e.g. EMAHook's `ema_type`).
 */
export function collectTypes(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) collectTypes(v, out);
  // built objects (a model, a dataset) are not configs: their insides name no types, and may be cyclic
  else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'type' || k.endsWith('_type')) && typeof v === 'string') out.add(v);
      else collectTypes(v, out);
    }
  }
  return out;
}

function isRegistered(type: string): boolean {
  return Object.values(REGISTRIES).some((r) => r.has(type));
}

/**
 * Imports the installed plugins that provide types the config names but no registry has yet
 * (found through the `"trainkit"` manifests of installed packages). Types nobody provides are
 * left for the build step, whose error names the package to install.
 */
export async function ensureTypes(types: Iterable<string>, searchDirs: string[]): Promise<PluginManifest[]> {
  const loaded: PluginManifest[] = [];
  let plugins: PluginManifest[] | undefined;
  for (const type of types) {
    if (isRegistered(type)) continue;
    const name = type.includes('.') ? type.slice(type.indexOf('.') + 1) : type;
    plugins ??= findInstalledPlugins(searchDirs);
    const provider = findProvider(name, plugins);
    if (!provider || loaded.includes(provider)) continue;
    getLogger().debug(`importing ${provider.name} for type ${type}`);
    await importPlugin(provider);
    loaded.push(provider);
  }
  return loaded;
}
