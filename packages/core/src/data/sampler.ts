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

/** Shuffles with `seed + epoch` (or keeps order), one pass per epoch. */
export class DefaultSampler implements Sampler {
  readonly shuffle: boolean;
  seed: number;
  epoch = 0;
  private readonly size: number;

  constructor(opts: SamplerOptions) {
    this.size = opts.dataset.length;
    this.shuffle = opts.shuffle ?? true;
    this.seed = opts.seed ?? 0;
  }

  get length(): number {
    return this.size;
  }

  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  indices(): Iterable<number> {
    if (!this.shuffle) return range(this.size);
    return permutation(this.size, (this.seed + this.epoch) >>> 0);
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
export class InfiniteSampler implements Sampler {
  readonly infinite = true;
  readonly shuffle: boolean;
  seed: number;
  private readonly size: number;

  constructor(opts: SamplerOptions) {
    this.size = opts.dataset.length;
    this.shuffle = opts.shuffle ?? true;
    this.seed = opts.seed ?? 0;
  }

  get length(): number {
    return this.size;
  }

  *indices(): Iterable<number> {
    for (let pass = 0; ; pass++) {
      if (this.shuffle) yield* permutation(this.size, (this.seed + pass) >>> 0);
      else yield* range(this.size);
    }
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
