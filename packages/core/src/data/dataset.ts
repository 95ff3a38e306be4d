import type { Random } from '../randomness/random.js';
import type { Awaitable } from '../types.js';
import type { DataItem } from './types.js';

export interface DatasetMeta {
  classes?: readonly string[];
  [key: string]: unknown;
}

/**
 * What the data loader hands `getItem` besides the index. Random augmentations draw from
 * `random`, a generator seeded by the run's seed, the epoch and the sample's place in the pass,
 * so the same sample gets the same augmentation however far ahead batches are prefetched and
 * when a run resumes mid-epoch (`Math.random` gives neither).
 */
export interface ItemContext {
  random: Random;
  epoch: number;
}

/** What the runner needs of a dataset: a size, indexed access and optional meta. */
export interface Dataset<T = DataItem> {
  readonly length: number;
  getItem(index: number, ctx?: ItemContext): Awaitable<T>;
  readonly metainfo?: DatasetMeta;
}

/** A transform of one item; a pipeline is a list of them applied in order. */
export type Transform = (item: Record<string, unknown>, ctx?: ItemContext) => Record<string, unknown> | null;

/**
 * The usual base for datasets: subclasses load annotations in `loadDataList` (once, lazily) and
 * `getItem` runs the `pipeline` over a copy of the raw entry.
 */
export abstract class BaseDataset implements Dataset {
  private dataList: Record<string, unknown>[] | undefined;

  constructor(
    readonly pipeline: Transform[] = [],
    readonly metainfo: DatasetMeta = {},
  ) {}

  protected abstract loadDataList(): Record<string, unknown>[];

  private list(): Record<string, unknown>[] {
    if (!this.dataList) this.dataList = this.loadDataList();
    return this.dataList;
  }

  get length(): number {
    return this.list().length;
  }

  getDataInfo(index: number): Record<string, unknown> {
    return { ...this.list()[index], sample_idx: index };
  }

  getItem(index: number, ctx?: ItemContext): DataItem {
    let item: Record<string, unknown> | null = this.getDataInfo(index);
    for (const t of this.pipeline) {
      item = t(item, ctx);
      if (item === null) throw new Error(`transform dropped sample ${index}`);
    }
    return item as DataItem;
  }
}

/** Items held in memory (handy in tests and for small data). */
export class ArrayDataset<T = DataItem> implements Dataset<T> {
  constructor(
    readonly items: readonly T[],
    readonly metainfo: DatasetMeta = {},
  ) {}

  get length(): number {
    return this.items.length;
  }

  getItem(index: number): T {
    return this.items[index];
  }
}
