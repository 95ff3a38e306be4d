import { CAPABILITIES_DOC, backendCapabilities, backendsDeclaring } from '../env/backend-capabilities.js';
import { ConfigError } from '../errors.js';
import { getLogger } from '../logging/logger.js';

/**
 * `randomness.deterministic: true` (MMEngine sets cuDNN's deterministic mode and torch's
 * deterministic algorithms). On TensorFlow.js it holds where the backend computes every value in
 * a fixed order, which a backend declares with the `deterministic` capability: the run is then
 * deterministic already and the log says so. Elsewhere the option cannot be honoured, so it is
 * refused rather than logged as if it worked.
 */
export function applyDeterministic(deterministic: unknown): void {
  if (deterministic === undefined || deterministic === null || deterministic === false) return;
  if (deterministic !== true) {
    throw new ConfigError('randomness.deterministic must be true or false', { path: 'randomness.deterministic', found: deterministic });
  }
  const caps = backendCapabilities();
  if (caps.deterministic) {
    getLogger().info(
      `randomness.deterministic: the ${caps.name} backend is deterministic as it is (every kernel adds up in a fixed order), so the same seed gives bit-identical runs; nothing to switch`,
    );
    return;
  }
  const why = caps.nondeterminism ?? `the backend does not declare the deterministic capability (${CAPABILITIES_DOC})`;
  const deterministicOnes = backendsDeclaring('deterministic').map((b) => `'${b}'`);
  throw new ConfigError(`randomness.deterministic is true, but the ${caps.name} backend cannot give bit-identical runs: ${why}`, {
    path: 'randomness.deterministic',
    found: true,
    fix: `${deterministicOnes.length ? `train on env_cfg.backend: ${deterministicOnes.join(' or ')} (deterministic), or ` : ''}set randomness.deterministic: false`,
  });
}
