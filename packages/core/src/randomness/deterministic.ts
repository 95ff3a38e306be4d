import type { BackendSetup } from '../env/backend.js';
import { ConfigError } from '../errors.js';
import { getLogger } from '../logging/logger.js';
import { BACKENDS } from '../registry/root.js';

/** Why a backend trainkit knows cannot promise bit-identical runs. */
const NONDETERMINISTIC: Record<string, string> = {
  webgpu: 'its kernels run on thousands of GPU threads and some of them (scatter, segment sums) add up with atomics in whatever order the threads finish',
  tensorflow: "libtensorflow's multi-threaded CPU kernels and cuDNN's GPU kernels do not fix the order in which they add up",
};

/**
 * `randomness.deterministic: true` (MMEngine sets cuDNN's deterministic mode and torch's
 * deterministic algorithms). On TensorFlow.js it holds where the backend computes every value in
 * a fixed order, which a backend declares with `BackendSetup.deterministic`: the run is then
 * deterministic already and the log says so. Elsewhere the option cannot be honoured, so it is
 * refused rather than logged as if it worked.
 */
export function applyDeterministic(deterministic: unknown, backend: string): void {
  if (deterministic === undefined || deterministic === null || deterministic === false) return;
  if (deterministic !== true) {
    throw new ConfigError('randomness.deterministic must be true or false', { path: 'randomness.deterministic', found: deterministic });
  }
  const setup = BACKENDS.getEntry(backend)?.target as BackendSetup | undefined;
  if (setup?.deterministic === true) {
    getLogger().info(
      `randomness.deterministic: the ${backend} backend is deterministic as it is (every kernel adds up in a fixed order), so the same seed gives bit-identical runs; nothing to switch`,
    );
    return;
  }
  const why = NONDETERMINISTIC[backend] ?? `the backend does not declare itself deterministic (BackendSetup.deterministic)`;
  throw new ConfigError(`randomness.deterministic is true, but the ${backend} backend cannot give bit-identical runs: ${why}`, {
    path: 'randomness.deterministic',
    found: true,
    fix: "train on env_cfg.backend: 'wasm' or 'cpu' (both deterministic), or set randomness.deterministic: false",
  });
}
