import { TrainkitError } from '../errors.js';
import { Random, mixSeed } from '../randomness/random.js';
import type { Awaitable } from '../types.js';
import { type CollateFunction, defaultCollate } from './collate.js';
import { type BatchIterator, DataLoader } from './dataloader.js';
import type { DatasetMeta } from './dataset.js';
import type { Sampler } from './sampler.js';
import type { DataBatch, DataItem } from './types.js';

/** What a stream is given for one pass: the pass number and a generator seeded by the run and the pass. */
export interface StreamContext {
  epoch: number;
  seed: number;
  random: Random;
}

/**
 * A dataset read in order, one pass at a time, without indexed access (PyTorch's
 * IterableDataset): lines of a file too big for memory, records from a generator. `stream`
 * starts a pass; `length` is the samples of one pass, left out for an endless stream (which only
 * an IterBasedTrainLoop can use).
 */
export interface StreamDataset<T = DataItem> {
  stream(ctx: StreamContext): Iterable<T> | AsyncIterable<T>;
  readonly length?: number;
  readonly metainfo?: DatasetMeta;
}

export function isStreamDataset(v: unknown): v is StreamDataset<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as StreamDataset).stream === 'function' && typeof (v as { getItem?: unknown }).getItem !== 'function';
}

/** The order of a stream is its own: this only counts passes (for seeding and checkpoints). */
class StreamPasses implements Sampler {
  epoch = 0;
  constructor(
    readonly length: number,
    readonly seed: number,
  ) {}
  get infinite(): boolean {
    return !Number.isFinite(this.length);
  }
  *indices(): Iterable<number> {
    for (let i = 0; i < this.length; i++) yield i;
  }
  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }
  stateDict(): Record<string, unknown> {
    return { seed: this.seed, epoch: this.epoch };
  }
  loadStateDict(state: Record<string, unknown>): void {
    if (typeof state.epoch === 'number') this.epoch = state.epoch;
  }
}

export interface StreamDataLoaderOptions {
  dataset: StreamDataset<unknown>;
  batch_size?: number;
  drop_last?: boolean;
  collate_fn?: CollateFunction;
  seed?: number;
}

/**
 * Batches a stream in the order it yields. Skipping (a resumed run) reads and drops the
 * skipped samples, since a stream has no index to jump to.
 */
export class StreamDataLoader extends DataLoader {
  readonly stream: StreamDataset<unknown>;

  constructor(opts: StreamDataLoaderOptions) {
    const length = opts.dataset.length ?? Number.POSITIVE_INFINITY;
    const asDataset = {
      length,
      metainfo: opts.dataset.metainfo,
      getItem(): never {
        throw new TrainkitError('a stream dataset has no indexed access');
      },
    };
    super({
      dataset: asDataset,
      sampler: new StreamPasses(length, opts.seed ?? 0),
      batch_size: opts.batch_size,
      drop_last: opts.drop_last,
      collate_fn: opts.collate_fn ?? defaultCollate,
      prefetch: 0,
    });
    this.stream = opts.dataset;
  }

  override batches(skip = 0): BatchIterator {
    const passes = this.sampler as StreamPasses;
    const source = this.stream.stream({ epoch: passes.epoch, seed: passes.seed, random: new Random(mixSeed(passes.seed, passes.epoch, 0)) });
    const it: Iterator<unknown> | AsyncIterator<unknown> =
      Symbol.asyncIterator in source ? (source as AsyncIterable<unknown>)[Symbol.asyncIterator]() : (source as Iterable<unknown>)[Symbol.iterator]();
    const { batchSize, dropLast } = this;
    let toSkip = skip * batchSize;
    const take = async (): Promise<DataBatch | undefined> => {
      for (; toSkip > 0; toSkip--) if ((await it.next()).done) return undefined;
      const items: unknown[] = [];
      while (items.length < batchSize) {
        const r = await it.next();
        if (r.done) break;
        items.push(r.value);
      }
      if (items.length === 0 || (dropLast && items.length < batchSize)) return undefined;
      return this.collate(items);
    };
    return { next: (): Awaitable<DataBatch | undefined> => take() };
  }
}
