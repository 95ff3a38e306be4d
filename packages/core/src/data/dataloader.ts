import type { Awaitable } from '../types.js';
import { type CollateFunction, defaultCollate } from './collate.js';
import type { Dataset, ItemContext } from './dataset.js';
import { Random, mixSeed } from '../randomness/random.js';
import { DefaultSampler, type Sampler } from './sampler.js';
import type { DataBatch } from './types.js';

export interface DataLoaderOptions {
  dataset: Dataset<unknown>;
  batch_size?: number;
  sampler?: Sampler;
  shuffle?: boolean;
  drop_last?: boolean;
  collate_fn?: CollateFunction;
  /** Batches loaded ahead of the one being trained on, so asynchronous loading overlaps compute. */
  prefetch?: number;
}

/** The seed and epoch of the sampler's current pass (0 for samplers that keep neither). */
function passIdentity(sampler: Sampler): { seed: number; epoch: number } {
  const state = sampler.stateDict?.() ?? {};
  return { seed: typeof state.seed === 'number' ? state.seed : 0, epoch: typeof state.epoch === 'number' ? state.epoch : 0 };
}

/** An item's context; its generator is made only when a transform asks for it. */
class SampleContext implements ItemContext {
  private rng: Random | undefined;
  constructor(
    private readonly seed: number,
    readonly epoch: number,
    private readonly position: number,
  ) {}

  get random(): Random {
    this.rng ??= new Random(mixSeed(this.seed, this.epoch, this.position));
    return this.rng;
  }
}

/** A stream of batches whose `next()` returns synchronously when the data is at hand. */
export interface BatchIterator {
  next(): Awaitable<DataBatch | undefined>;
}

/**
 * Batches a dataset in the order its sampler gives. `batches(skip)` starts a pass, skipping
 * `skip` batches by index only (no data is loaded), which is how a resumed run continues
 * exactly where it stopped in the middle of an epoch.
 */
export class DataLoader {
  readonly dataset: Dataset<unknown>;
  readonly batchSize: number;
  readonly sampler: Sampler;
  readonly dropLast: boolean;
  readonly collate: CollateFunction;
  readonly prefetch: number;

  constructor(opts: DataLoaderOptions) {
    this.dataset = opts.dataset;
    this.batchSize = opts.batch_size ?? 1;
    this.sampler = opts.sampler ?? new DefaultSampler({ dataset: opts.dataset, shuffle: opts.shuffle ?? false });
    this.dropLast = opts.drop_last ?? false;
    this.collate = opts.collate_fn ?? defaultCollate;
    this.prefetch = opts.prefetch ?? 2;
  }

  /** At most this many batches per pass (`limit_*_batches` of the loop configs). */
  limit: number | undefined;

  /** Batches per pass. */
  get length(): number {
    const full = this.unlimitedLength;
    return this.limit === undefined ? full : Math.min(full, this.limit);
  }

  /** Batches per pass without `limit`. */
  get unlimitedLength(): number {
    const n = this.sampler.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  batches(skip = 0): BatchIterator {
    const indices = this.sampler.indices()[Symbol.iterator]();
    const { batchSize, dropLast } = this;
    const limit = this.limit ?? Number.POSITIVE_INFINITY;
    let taken = 0;
    const takeIndices = (): number[] | undefined => {
      if (taken >= limit) return undefined;
      taken++;
      const idx: number[] = [];
      while (idx.length < batchSize) {
        const r = indices.next();
        if (r.done) break;
        idx.push(r.value);
      }
      if (idx.length === 0 || (dropLast && idx.length < batchSize)) return undefined;
      return idx;
    };
    for (let s = 0; s < skip; s++) if (!takeIndices()) break;
    // where each sample sits in the pass (skipped ones included) seeds its augmentations
    const { seed, epoch } = passIdentity(this.sampler);
    let position = skip * batchSize;
    const queue: Array<Awaitable<DataBatch>> = [];
    let exhausted = false;
    const fill = (target: number) => {
      while (!exhausted && queue.length < target) {
        const idx = takeIndices();
        if (!idx) exhausted = true;
        else {
          const batch = this.loadBatch(idx, seed, epoch, position);
          position += idx.length;
          // a failed prefetch surfaces when its batch is awaited, not as an unhandled rejection
          if (batch instanceof Promise) batch.catch(() => {});
          queue.push(batch);
        }
      }
    };
    return {
      next: () => {
        fill(1);
        const head = queue.shift();
        fill(this.prefetch);
        return head;
      },
    };
  }

  private loadBatch(indices: number[], seed: number, epoch: number, position: number): Awaitable<DataBatch> {
    const items = new Array<unknown>(indices.length);
    let asyncItems: Promise<unknown>[] | undefined;
    for (let i = 0; i < indices.length; i++) {
      const item = this.dataset.getItem(indices[i], new SampleContext(seed, epoch, position + i));
      if (item instanceof Promise) (asyncItems ??= []).push(item.then((v) => (items[i] = v)));
      else items[i] = item;
    }
    if (!asyncItems) return this.collate(items);
    return Promise.all(asyncItems).then(() => this.collate(items));
  }

  /** `for await (const batch of loader)` over one pass. */
  async *[Symbol.asyncIterator](): AsyncIterator<DataBatch> {
    const it = this.batches();
    for (;;) {
      const b = await it.next();
      if (!b) return;
      yield b;
    }
  }
}
