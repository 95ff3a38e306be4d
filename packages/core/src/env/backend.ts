import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { getLogger } from '../logging/logger.js';
import { parseOptions } from '../registry/options.js';
import { BACKENDS } from '../registry/root.js';
import { installedTypeNames } from '../registry/plugin-discovery.js';
import { closeMatches } from '../utils/did-you-mean.js';
import { officialPackageFor } from '../registry/official-plugins.js';
import type { EnvConfig } from '../config/types.js';

/** What a backend plugin registers in BACKENDS under the backend's name. */
export interface BackendSetup {
  /** Registers and initialises the tfjs backend; returns the name tfjs knows it by. */
  setup(env: EnvConfig): Promise<string>;
  /** Memory the backend uses for tensors, in bytes, if it can tell. */
  memoryBytes?(): number | undefined;
  /**
   * False where `dataSync()` cannot work (WebGPU in Node has no synchronous read-back): the
   * runtime then reads tensors only with `await tensor.data()`. Defaults to true.
   */
  syncReads?: boolean;
  /**
   * True when every kernel adds up in a fixed order, so the same seed gives bit-identical runs:
   * `randomness.deterministic: true` is refused on backends that do not declare it.
   */
  deterministic?: boolean;
  /** Resolves once the device has finished all queued work (backends that run ahead of the CPU). */
  drain?(): Promise<void>;
}

async function importOptional(name: string, fix: string): Promise<void> {
  try {
    await import(name);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new ConfigError(`the "${name}" package is not installed`, { path: 'env_cfg.backend', fix });
    }
    throw new ConfigError(`"${name}" failed to load: ${(e as Error).message}`, { path: 'env_cfg.backend', fix });
  }
}

const nodeBackend = (pkg: string): BackendSetup => ({
  async setup() {
    await importOptional(pkg, `pnpm add ${pkg} (its install script downloads libtensorflow), or use backend: 'wasm'`);
    await tf.setBackend('tensorflow');
    await tf.ready();
    return 'tensorflow';
  },
});

BACKENDS.register('cpu', {
  async setup() {
    await tf.setBackend('cpu');
    await tf.ready();
    // the cpu backend greets its first tensor with advice to install tfjs-node; trainkit's
    // backends are chosen in env_cfg and documented, so the run log stays free of it
    (tf.backend() as { firstUse?: boolean }).firstUse = false;
    return 'cpu';
  },
  // plain JavaScript loops on one thread
  deterministic: true,
} satisfies BackendSetup);
BACKENDS.register('tensorflow', nodeBackend('@tensorflow/tfjs-node'));
BACKENDS.register('tensorflow-gpu', nodeBackend('@tensorflow/tfjs-node-gpu'));

/**
 * Selects the tfjs backend named by `env_cfg.backend`. Without one: `wasm` where its plugin is
 * registered (the fast CPU path), else `cpu`.
 */
export async function setupBackend(env: EnvConfig = {}): Promise<string> {
  const requested = env.backend;
  const name = requested ?? (BACKENDS.has('wasm') ? 'wasm' : 'cpu');
  if (!requested && name === 'cpu') getLogger().info('env_cfg.backend not set and @trainkit/backend-wasm not installed: using the cpu backend');
  const entry = BACKENDS.getEntry(name);
  if (!entry) throw unknownBackend(name);
  const backend = entry.target as BackendSetup;
  const backendOptions = entry.options
    ? parseOptions(entry.options, env.backend_options ?? {}, 'env_cfg.backend_options', `the ${name} backend`)
    : env.backend_options;
  const active = await backend.setup({ ...env, backend_options: backendOptions });
  currentBackend = backend;
  return active;
}

const NODE_PACKAGES: Record<string, string> = { tensorflow: '@tensorflow/tfjs-node', 'tensorflow-gpu': '@tensorflow/tfjs-node-gpu' };

function isResolvable(pkg: string): boolean {
  try {
    createRequire(`${process.cwd()}/`).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** The backends a run could select here: registered or installed, tfjs-node ones only when their package is. */
export function availableBackends(): string[] {
  const names = new Set([...BACKENDS.keys(), ...installedTypeNames('BACKENDS')]);
  for (const [name, pkg] of Object.entries(NODE_PACKAGES)) if (!isResolvable(pkg)) names.delete(name);
  return [...names].sort();
}

function unknownBackend(name: string): ConfigError {
  const available = availableBackends();
  const pkg = officialPackageFor('backend', name) ?? NODE_PACKAGES[name];
  const close = closeMatches(name, available);
  const fix = pkg
    ? `install it: pnpm add ${pkg}, or use one of: ${available.join(', ')}`
    : `${close.length ? `did you mean ${close.map((c) => `'${c}'`).join(' or ')}? ` : ''}use one of: ${available.join(', ')}`;
  return new ConfigError(`unknown backend "${name}"`, { path: 'env_cfg.backend', found: name, fix });
}

let currentBackend: BackendSetup | undefined;

/** Whether the active backend can read tensors synchronously (`dataSync()`); see BackendSetup.syncReads. */
export function backendReadsSync(): boolean {
  return currentBackend?.syncReads !== false;
}

/**
 * Waits until the active backend has finished the work queued so far: what a timer around
 * GPU work needs. Immediate on CPU backends, whose kernels finish before they return.
 */
export async function drainBackend(): Promise<void> {
  await currentBackend?.drain?.();
}

/** Tensor memory of the active backend in whole MB (truncated, as MMEngine prints it), if it reports it. */
export function backendMemoryMB(): number | undefined {
  const bytes = currentBackend?.memoryBytes?.() ?? (tf.memory() as { numBytes?: number }).numBytes;
  return bytes === undefined ? undefined : Math.floor(bytes / 2 ** 20);
}
