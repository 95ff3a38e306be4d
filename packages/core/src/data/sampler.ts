import { getDistInfo } from '../dist/state.js';
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

/**
 * What both samplers keep: the dataset size, the shuffle settings, one pass's order, and this
 * process's share of it. With several ranks each takes every worldSize-th index from its rank
 * on (PyTorch's DistributedSampler); `round_up` pads the pass by repeating its start so every
 * rank gets the same count, else the last ranks get one fewer.
 */
abstract class SeededSampler {
  readonly shuffle: boolean;
  seed: number;
  readonly roundUp: boolean;
  readonly rank: number;
  readonly worldSize: number;
  protected readonly size: number;

  constructor(opts: SamplerOptions) {
    this.size = opts.dataset.length;
    this.shuffle = opts.shuffle ?? true;
    this.seed = opts.seed ?? 0;
    this.roundUp = opts.round_up ?? true;
    const { rank, worldSize } = getDistInfo();
    this.rank = rank;
    this.worldSize = worldSize;
  }

  /** Samples this rank gets per pass. */
  get length(): number {
    if (this.worldSize === 1) return this.size;
    return this.roundUp ? Math.ceil(this.size / this.worldSize) : Math.max(0, Math.ceil((this.size - this.rank) / this.worldSize));
  }

  /** This rank's indices of pass `pass`. */
  protected rankIndices(pass: number): Iterable<number> {
    const all = this.passIndices(pass);
    if (this.worldSize === 1) return all;
    const list = Array.from(all);
    const total = this.roundUp ? Math.ceil(this.size / this.worldSize) * this.worldSize : this.size;
    const n = list.length;
    for (let i = n; i < total && n > 0; i++) list.push(list[(i - n) % n]);
    const mine: number[] = [];
    for (let i = this.rank; i < total; i += this.worldSize) mine.push(list[i]);
    return mine;
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
    return this.rankIndices(this.epoch);
  }

  stateDict(): Record<string, unknown> {
    return { seed: this.seed, epoch: this.epoch };
  }

  loadStateDict(state: Record<string, unknown>): void {
    if (typeof state.seed === 'number') this.seed = state.seed;
    if (typeof state.epoch === 'number') this.epoch = state.epoch;
  }
}

/**
 * Endless indices for iteration-based training: pass after pass, reshuffled each pass; with
 * several ranks, every worldSize-th index of that endless stream from the rank on (MMEngine).
 */
export class InfiniteSampler extends SeededSampler implements Sampler {
  readonly infinite = true;

  *indices(): Iterable<number> {
    let i = 0;
    for (let pass = 0; ; pass++) {
      for (const idx of this.passIndices(pass)) {
        if (i % this.worldSize === this.rank) yield idx;
        i++;
      }
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
