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
import { type BackendCapabilities, setActiveBackend } from './backend-capabilities.js';

/**
 * What a backend plugin registers in BACKENDS under the backend's name: how to start it, and
 * what it can do (see BackendCapabilities: core asks these, never the backend's name).
 */
export interface BackendSetup extends BackendCapabilities {
  /** Registers and initialises the tfjs backend; returns the name tfjs knows it by. */
  setup(env: EnvConfig): Promise<string>;
  /** An npm package `setup` imports: the backend is offered (`availableBackends`) only where it is installed. */
  requires?: string;
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
  requires: pkg,
  async setup() {
    await importOptional(pkg, `pnpm add ${pkg} (its install script downloads libtensorflow), or use backend: 'wasm'`);
    await tf.setBackend('tensorflow');
    await tf.ready();
    return 'tensorflow';
  },
  syncReads: true,
  // tfjs-node runs each op to its end before returning it
  runsAhead: false,
  deterministic: false,
  nondeterminism: "libtensorflow's multi-threaded CPU kernels and cuDNN's GPU kernels do not fix the order in which they add up",
  // libtensorflow's allocator has no release call
  releaseCaches: () => ({ buffers: 0, textures: 0, bytes: 0, note: "libtensorflow's allocator keeps its memory and has no call to release it" }),
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
  syncReads: true,
  runsAhead: false,
  // plain JavaScript loops on one thread
  deterministic: true,
  releaseCaches: () => ({
    buffers: 0,
    textures: 0,
    bytes: 0,
    note: "the cpu backend pools nothing: a tensor's memory goes back to JavaScript when it is disposed",
  }),
} satisfies BackendSetup);
BACKENDS.register('tensorflow', nodeBackend('@tensorflow/tfjs-node'));
BACKENDS.register('tensorflow-gpu', nodeBackend('@tensorflow/tfjs-node-gpu'));

/**
 * `env_cfg.backend` when unset: the documented default (the fast CPU path, when its plugin is
 * installed), else core's own backend. A choice of default, not a guess at capabilities.
 */
export const DEFAULT_BACKEND = 'wasm';
export const FALLBACK_BACKEND = 'cpu';

/** Selects the tfjs backend named by `env_cfg.backend`, else DEFAULT_BACKEND where registered, else cpu. */
export async function setupBackend(env: EnvConfig = {}): Promise<string> {
  const requested = env.backend;
  const name = requested ?? (BACKENDS.has(DEFAULT_BACKEND) ? DEFAULT_BACKEND : FALLBACK_BACKEND);
  if (!requested && name === FALLBACK_BACKEND) getLogger().info('env_cfg.backend not set and @trainkit/backend-wasm not installed: using the cpu backend');
  const entry = BACKENDS.getEntry(name);
  if (!entry) throw unknownBackend(name);
  const backend = entry.target as BackendSetup;
  const backendOptions = entry.options
    ? parseOptions(entry.options, env.backend_options ?? {}, 'env_cfg.backend_options', `the ${name} backend`)
    : env.backend_options;
  const active = await backend.setup({ ...env, backend_options: backendOptions });
  setActiveBackend(active, backend);
  return active;
}

function isResolvable(pkg: string): boolean {
  try {
    createRequire(`${process.cwd()}/`).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** The backends a run could select here: registered or installed, those that require a package only when it is. */
export function availableBackends(): string[] {
  const names = new Set([...BACKENDS.keys(), ...installedTypeNames('BACKENDS')]);
  for (const name of BACKENDS.keys()) {
    const pkg = (BACKENDS.get(name) as BackendSetup | undefined)?.requires;
    if (pkg && !isResolvable(pkg)) names.delete(name);
  }
  return [...names].sort();
}

function unknownBackend(name: string): ConfigError {
  const available = availableBackends();
  const pkg = officialPackageFor('backend', name);
  const close = closeMatches(name, available);
  const fix = pkg
    ? `install it: pnpm add ${pkg}, or use one of: ${available.join(', ')}`
    : `${close.length ? `did you mean ${close.map((c) => `'${c}'`).join(' or ')}? ` : ''}use one of: ${available.join(', ')}`;
  return new ConfigError(`unknown backend "${name}"`, { path: 'env_cfg.backend', found: name, fix });
}
