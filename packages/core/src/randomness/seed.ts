import { getLogger } from '../logging/logger.js';
import { Random } from './random.js';

/**
 * The global random state of a run. TensorFlow.js draws every unseeded random number (weight
 * initializers, dropout, `tf.random*` without a seed) from `Math.random`, so seeding a run means
 * routing `Math.random` through a seeded generator whose state a checkpoint can carry.
 */
const nativeRandom = Math.random;
let globalRng: Random | undefined;

export interface RandomnessConfig {
  seed?: number | null;
  deterministic?: boolean;
  diff_rank_seed?: boolean;
}

/** Seeds `Math.random` (and so TensorFlow.js) with `seed`; draws and returns one when absent. */
export function setRandomSeed(seed?: number | null): number {
  const s = seed ?? Math.floor(nativeRandom() * 2 ** 31) >>> 0;
  globalRng = new Random(s);
  const rng = globalRng;
  Math.random = () => rng.next();
  return s;
}

/** The seeded generator behind `Math.random` (undefined before `setRandomSeed`). */
export function globalRandom(): Random | undefined {
  return globalRng;
}

export function getRandomState(): number[] | undefined {
  return globalRng?.getState();
}

export function setRandomState(state: number[] | undefined): void {
  if (!state) return;
  if (!globalRng) setRandomSeed(0);
  globalRng?.setState(state);
}

/** Gives `Math.random` back to the platform (tests, or when a run ends). */
export function restoreNativeRandom(): void {
  Math.random = nativeRandom;
  globalRng = undefined;
}

/** Applies the `randomness` config; returns the seed in use. */
export function setupRandomness(cfg: RandomnessConfig = {}): number {
  const seed = setRandomSeed(cfg.seed);
  if (cfg.seed === undefined || cfg.seed === null) getLogger().info(`randomness: no seed given, drew seed ${seed}`);
  return seed;
}
