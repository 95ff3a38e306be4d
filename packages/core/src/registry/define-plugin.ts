import type { z } from 'zod';
import { RegistryError } from '../errors.js';
import type { OptionsSchema } from './options.js';
import { REGISTRIES, type RegistryKey } from './root.js';

/** One type a plugin provides: the class (or factory) and its declared options. */
export interface PluginType {
  cls: unknown;
  /** Declared options: validated at build time, and the source of the typed config. */
  options?: OptionsSchema;
  /** Build with `cls(args)` rather than `new cls(args)`. */
  factory?: boolean;
}

/** Type name -> type, by registry key (the keys of core's `REGISTRIES`). */
export type PluginProvides = { [K in RegistryKey]?: Record<string, PluginType> };

export interface PluginDeclaration<P extends PluginProvides = PluginProvides> {
  /** The npm package name; must equal package.json's `name`. */
  name: string;
  provides: P;
}

/** What `definePlugin` returns: the declaration, and the manifest it implies. */
export interface Plugin<P extends PluginProvides = PluginProvides> extends PluginDeclaration<P> {
  /** The `"trainkit".provides` field package.json must carry: type names by registry key. */
  readonly manifest: Record<string, string[]>;
}

/**
 * The config options of every type a plugin provides in one registry, for its
 * `declare module '@trainkit/core'` block:
 * `interface HookOptionsMap extends PluginOptions<typeof plugin, 'HOOKS'> {}`.
 */
export type PluginOptions<T extends Plugin, K extends keyof T['provides']> = {
  [N in keyof NonNullable<T['provides'][K]>]: NonNullable<T['provides'][K]>[N] extends { options: infer S extends z.ZodType }
    ? z.input<S>
    : Record<string, unknown>;
};

const declared = new Map<string, Plugin>();

/**
 * A plugin's one declaration: registers every type it provides (with `from` set to the package,
 * so errors name it) and records the manifest that package.json must match, which
 * `expectManifestMatches` from `@trainkit/core/testing` checks. Call it once, in `src/index.ts`.
 */
export function definePlugin<const P extends PluginProvides>(declaration: PluginDeclaration<P>): Plugin<P> {
  const { name, provides } = declaration;
  if (typeof name !== 'string' || name === '')
    throw new RegistryError('definePlugin needs the package name', { found: name, fix: "definePlugin({ name: '<package.json name>', provides: {...} })" });
  const manifest: Record<string, string[]> = {};
  for (const [key, types] of Object.entries(provides) as [string, Record<string, PluginType>][]) {
    const registry = REGISTRIES[key as RegistryKey];
    if (!registry) {
      throw new RegistryError(`${name}: definePlugin provides "${key}", which is not a registry`, {
        fix: `use one of: ${Object.keys(REGISTRIES).join(', ')}`,
      });
    }
    for (const [type, spec] of Object.entries(types)) {
      registry.register(type, spec.cls, { options: spec.options, factory: spec.factory, from: name });
    }
    manifest[key] = Object.keys(types);
  }
  const plugin: Plugin<P> = { name, provides, manifest };
  declared.set(name, plugin);
  return plugin;
}

/** The plugin `definePlugin` declared under `name` in this process, if any. */
export function declaredPlugin(name: string): Plugin | undefined {
  return declared.get(name);
}
