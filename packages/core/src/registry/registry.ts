import { ConfigError, RegistryError, describeValue } from '../errors.js';
import { closeMatches } from '../utils/did-you-mean.js';
import { type OptionsSchema, parseOptions } from './options.js';
import { officialPackageFor } from './official-plugins.js';
import { currentDefaultScope } from './default-scope.js';
import { installedTypeNames } from './plugin-discovery.js';

/** A plain config object for building a registered type. */
export interface BuildConfig {
  type: string | ((...args: never[]) => unknown);
  _scope_?: string;
  [key: string]: unknown;
}

export interface RegisterOptions {
  /** Declared options: validated at build time, also the source of the TS config types. */
  options?: OptionsSchema;
  /** Replace an existing entry of the same name instead of failing. */
  force?: boolean;
  /** Build with `fn(args)` rather than `new Target(args)`. */
  factory?: boolean;
  /** The npm package registering the type, for error messages. */
  from?: string;
}

export interface RegistryEntry {
  name: string;
  target: unknown;
  options?: OptionsSchema;
  factory: boolean;
  from?: string;
}

type BuildFunction = (registry: Registry, cfg: BuildConfig, defaultArgs: Record<string, unknown>, path: string) => unknown;

/**
 * A named map from type names to classes or factories, with MMEngine's scoping: a child registry
 * (scope `mylib`) falls back to its parent, and `mylib.Type` names a type in another scope.
 * Names are always explicit strings: class names do not survive bundlers.
 */
export class Registry<T = unknown> {
  /** The key of this registry in plugin manifests (`HOOKS`, ...), for hints about installed types. */
  manifestKey: string | undefined;
  readonly children = new Map<string, Registry<T>>();
  private readonly entries = new Map<string, RegistryEntry>();

  constructor(
    readonly name: string,
    readonly options: { scope?: string; parent?: Registry<T>; build?: BuildFunction } = {},
  ) {
    const parent = options.parent;
    if (parent) {
      const scope = this.scope;
      if (parent.children.has(scope)) {
        throw new RegistryError(`scope "${scope}" already exists in the ${parent.name} registry`);
      }
      parent.children.set(scope, this);
    }
  }

  get scope(): string {
    return this.options.scope ?? 'trainkit';
  }

  get parent(): Registry<T> | undefined {
    return this.options.parent;
  }

  get root(): Registry<T> {
    let r: Registry<T> = this;
    while (r.parent) r = r.parent;
    return r;
  }

  /** Registers `target` under one name or several aliases. */
  register(name: string | string[], target: unknown, opts: RegisterOptions = {}): void {
    const names = Array.isArray(name) ? name : [name];
    for (const n of names) {
      if (typeof n !== 'string' || n === '') {
        throw new RegistryError(`a ${this.name} registry name must be a non-empty string`, { found: n });
      }
      const existing = this.entries.get(n);
      if (existing && !opts.force && existing.target !== target) {
        throw new RegistryError(`${n} is already registered in the ${this.scope}::${this.name} registry${existing.from ? ` by ${existing.from}` : ''}`, {
          fix: 'choose another name, or pass { force: true } to replace it',
        });
      }
      this.entries.set(n, { name: n, target, options: opts.options, factory: opts.factory ?? false, from: opts.from });
    }
  }

  /** Own names (without children or parents). */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  has(key: string): boolean {
    return this.getEntry(key) !== undefined;
  }

  get(key: string): T | undefined {
    return this.getEntry(key)?.target as T | undefined;
  }

  /** Looks `key` up: `Type` here then in the parents; `scope.Type` in the registry of that scope. */
  getEntry(key: string): RegistryEntry | undefined {
    const dot = key.indexOf('.');
    if (dot > 0) {
      const scope = key.slice(0, dot);
      const rest = key.slice(dot + 1);
      if (scope === this.scope) return this.getEntry(rest);
      const child = this.children.get(scope);
      if (child) return child.getEntry(rest);
      const root = this.root;
      if (root !== this && (root.scope === scope || root.children.has(scope))) return root.getEntry(key);
    }
    // eslint-ish: walk up through the parents
    for (let r: Registry<T> | undefined = this; r; r = r.parent) {
      const e = r.entries.get(key);
      if (e) return e;
    }
    return undefined;
  }

  /** The registry lookups start in, honouring `default_scope` and a per-config `_scope_`. */
  private scoped(scope: string | undefined): Registry<T> {
    const wanted = scope ?? currentDefaultScope();
    if (!wanted || wanted === this.scope) return this;
    return this.root.findScope(wanted) ?? this;
  }

  private findScope(scope: string): Registry<T> | undefined {
    if (this.scope === scope) return this;
    for (const child of this.children.values()) {
      const hit = child.findScope(scope);
      if (hit) return hit;
    }
    return undefined;
  }

  /**
   * Builds `cfg` (`{type, ...options}`); options in `cfg` win over `defaultArgs`. `path` is where
   * the config sits (e.g. `default_hooks.checkpoint`) so errors can name it.
   */
  build<R = T>(cfg: unknown, defaultArgs: Record<string, unknown> = {}, path = ''): R {
    if (this.options.build) return this.options.build(this, asBuildConfig(cfg, defaultArgs, path, this.name), defaultArgs, path) as R;
    return buildFromConfig(this, asBuildConfig(cfg, defaultArgs, path, this.name), defaultArgs, path) as R;
  }

  /**
   * The error for a type name that is not registered, with close matches and the package to add.
   * `typePath` is where the name sits in the config (e.g. `default_hooks.logger.type`).
   */
  unknownTypeError(type: string, typePath: string): RegistryError {
    const names = new Set<string>();
    for (let r: Registry<T> | undefined = this; r; r = r.parent) for (const k of r.keys()) names.add(k);
    // installed plugins are imported on demand: their types count before they are imported
    if (this.manifestKey) for (const k of installedTypeNames(this.manifestKey)) names.add(k);
    const close = closeMatches(type, names);
    const pkg = officialPackageFor(this.name, type);
    let fix: string;
    if (pkg) fix = `install the package that provides it: pnpm add ${pkg} (or npm install ${pkg})`;
    else if (close.length) fix = `did you mean ${close.map((c) => `"${c}"`).join(' or ')}?`;
    else
      fix = `register it (import the module that calls ${this.name.toUpperCase()}.register, e.g. through custom_imports), or use one of: ${[...names].sort().join(', ') || '(none registered)'}`;
    const hint = pkg && close.length ? ` (close names here: ${close.join(', ')})` : '';
    return new RegistryError(`"${type}" is not in the ${this.scope}::${this.name} registry${hint}`, { path: typePath, fix });
  }

  /** The entry `type` resolves to in the registry chosen by scope, or a clear error. */
  resolve(type: string, path: string, scope?: string): RegistryEntry {
    const start = this.scoped(scope);
    const entry = start.getEntry(type) ?? (start !== this ? this.getEntry(type) : undefined);
    if (!entry) throw start.unknownTypeError(type, path ? `${path}.type` : 'type');
    return entry;
  }
}

function asBuildConfig(cfg: unknown, defaultArgs: Record<string, unknown>, path: string, registry: string): BuildConfig {
  if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg)) {
    throw new ConfigError(`expected a ${registry} config object with a "type"`, {
      path,
      found: cfg,
      fix: `write it as { type: 'SomeType', ...options }`,
    });
  }
  const type = (cfg as BuildConfig).type ?? defaultArgs.type;
  if (type === undefined) {
    throw new ConfigError(`the ${registry} config has no "type"`, {
      path,
      found: cfg,
      fix: `add type: '<a registered ${registry} name>'`,
    });
  }
  return { ...(cfg as BuildConfig), type: type as BuildConfig['type'] };
}

/** The default build: resolve the type, validate options, construct. */
export function buildFromConfig(registry: Registry, cfg: BuildConfig, defaultArgs: Record<string, unknown>, path: string): unknown {
  const { type, _scope_, ...own } = cfg;
  const args: Record<string, unknown> = { ...withoutType(defaultArgs), ...own };
  if (typeof type === 'function') return constructTarget(type, false, args);
  if (typeof type !== 'string') {
    throw new ConfigError(`"type" must be a string or a class`, { path: `${path ? `${path}.` : ''}type`, found: type });
  }
  const entry = registry.resolve(type, path, _scope_);
  // defaultArgs are injected by the runner (e.g. the optimizer for a scheduler) and are not options
  // a user writes, so they skip validation; everything from the config is checked.
  const validated = entry.options ? parseOptions(entry.options, own, path, type) : own;
  const finalArgs = { ...withoutType(defaultArgs), ...(validated as Record<string, unknown>) };
  return constructTarget(entry.target, entry.factory, finalArgs);
}

function withoutType(args: Record<string, unknown>): Record<string, unknown> {
  if (!('type' in args)) return args;
  const { type: _t, ...rest } = args;
  return rest;
}

function constructTarget(target: unknown, factory: boolean, args: Record<string, unknown>): unknown {
  if (typeof target !== 'function') return target;
  if (factory) return (target as (a: unknown) => unknown)(args);
  return new (target as new (a: unknown) => unknown)(args);
}

export { describeValue };
