import { TrainkitError } from '../errors.js';
import { getLogger } from '../logging/logger.js';
import { findPackageDir, importPlugin } from '../registry/plugin-discovery.js';
import type { ConnectOptions, ProcessGroup, ProcessGroupFactory } from './process-group.js';

/** Collective backends by `env_cfg.dist_cfg.backend` name, filled by backend packages. */
const factories = new Map<string, ProcessGroupFactory>();

/** The package that provides each backend trainkit knows of. */
const PROVIDERS: Record<string, string> = { gloo: '@trainkit/dist-gloo' };

export function registerDistBackend(name: string, factory: ProcessGroupFactory): void {
  factories.set(name, factory);
}

export class DistBackendMissingError extends TrainkitError {}

/**
 * Connects the process group through the named backend, importing its package when nothing has
 * registered it yet. `nccl` (MMEngine's default, for CUDA) has no counterpart here: it runs on
 * Gloo with a notice, as the data moves through host memory either way.
 */
export async function connectProcessGroup(backend: string, opts: ConnectOptions): Promise<ProcessGroup> {
  let name = backend;
  if (name === 'nccl' || name === 'mpi' || name === 'hccl') {
    getLogger().warn(`env_cfg.dist_cfg.backend '${name}' is not available in trainkit; using 'gloo' (collectives on host memory)`);
    name = 'gloo';
  }
  if (!factories.has(name) && PROVIDERS[name]) {
    // as plugin discovery does: the package as the project (the working directory) sees it
    const dir = findPackageDir(PROVIDERS[name], process.cwd()) ?? findPackageDir(PROVIDERS[name], import.meta.dirname ?? '.');
    if (dir) await importPlugin({ dir });
    else {
      throw new DistBackendMissingError(
        `distributed training (launcher and WORLD_SIZE > 1) needs the '${name}' backend from ${PROVIDERS[name]}, which is not installed\n  fix: pnpm add ${PROVIDERS[name]} (or npm install ${PROVIDERS[name]}); it builds against Debian's libgloo-dev`,
      );
    }
  }
  const factory = factories.get(name);
  if (!factory) {
    throw new DistBackendMissingError(
      `unknown distributed backend '${backend}' (env_cfg.dist_cfg.backend); known: ${[...new Set([...factories.keys(), ...Object.keys(PROVIDERS)])].join(', ')}`,
    );
  }
  return factory(opts);
}
