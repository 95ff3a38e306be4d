import { permutation } from '../randomness/random.js';

/** Index order over a dataset. `setEpoch` reseeds the shuffle, as MMEngine's samplers do. */
export interface Sampler {
  /** Indices of one pass (for infinite samplers: a generator that never ends). */
  indices(): Iterable<number>;
  /** Samples per pass. */
  readonly length: number;
  readonly infinite?: boolean;
  setEpoch?(epoch: number): void;
  stateDict?(): Record<string, unknown>;
  loadStateDict?(state: Record<string, unknown>): void;
}

export interface SamplerOptions {
  dataset: { length: number };
  shuffle?: boolean;
  seed?: number | null;
  round_up?: boolean;
}

/** What both samplers keep: the dataset size and the shuffle settings, and one pass's order. */
abstract class SeededSampler {
  readonly shuffle: boolean;
  seed: number;
  protected readonly size: number;

  constructor(opts: SamplerOptions) {
    this.size = opts.dataset.length;
    this.shuffle = opts.shuffle ?? true;
    this.seed = opts.seed ?? 0;
  }

  get length(): number {
    return this.size;
  }

  /** The indices of pass `pass`: shuffled with `seed + pass`, or in order. */
  protected passIndices(pass: number): Iterable<number> {
    if (!this.shuffle) return range(this.size);
    return permutation(this.size, (this.seed + pass) >>> 0);
  }
}

/** Shuffles with `seed + epoch` (or keeps order), one pass per epoch. */
export class DefaultSampler extends SeededSampler implements Sampler {
  epoch = 0;

  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  indices(): Iterable<number> {
    return this.passIndices(this.epoch);
  }

  stateDict(): Record<string, unknown> {
    return { seed: this.seed, epoch: this.epoch };
  }

  loadStateDict(state: Record<string, unknown>): void {
    if (typeof state.seed === 'number') this.seed = state.seed;
    if (typeof state.epoch === 'number') this.epoch = state.epoch;
  }
}

/** Endless indices for iteration-based training: pass after pass, reshuffled each pass. */
export class InfiniteSampler extends SeededSampler implements Sampler {
  readonly infinite = true;

  *indices(): Iterable<number> {
    for (let pass = 0; ; pass++) yield* this.passIndices(pass);
  }

  stateDict(): Record<string, unknown> {
    return { seed: this.seed };
  }

  loadStateDict(state: Record<string, unknown>): void {
    if (typeof state.seed === 'number') this.seed = state.seed;
  }
}

function* range(n: number): Iterable<number> {
  for (let i = 0; i < n; i++) yield i;
}
