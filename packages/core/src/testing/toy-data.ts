import type { DataItem } from '../data/types.js';
import type { Dataset } from '../data/dataset.js';
import type { DataBatch, DataSample } from '../data/types.js';
import { BaseMetric } from '../evaluation/base-metric.js';

/** `length` samples of 2 features with a label, deterministic. */
export class ToyDataset implements Dataset<DataItem> {
  readonly metainfo = { classes: ['a', 'b'] };
  constructor(readonly opts: { length?: number; features?: number } = {}) {}

  get length(): number {
    return this.opts.length ?? 10;
  }

  getItem(i: number): DataItem {
    const f = this.opts.features ?? 2;
    const data = new Float32Array(f);
    for (let j = 0; j < f; j++) data[j] = ((i * 7 + j * 3) % 11) / 11;
    return { inputs: { data, shape: [f] }, data_samples: { gt_label: i % 2 } };
  }
}

/**
 * The toy metric of MMEngine's test seeds: `{acc: next value of a scripted sequence}` with the
 * prefix `toy`, so results are `toy/acc`.
 */
export class ToyMetric extends BaseMetric<number> {
  static override defaultPrefix = 'toy';
  private call = 0;
  readonly sequence: number[];

  constructor(opts: { sequence?: number[]; prefix?: string } = {}) {
    super(opts);
    this.sequence = opts.sequence ?? [0.5, 0.7, 0.6, 0.8, 0.9, 0.4, 0.95];
  }

  process(_batch: DataBatch, samples: DataSample[]): void {
    this.results.push(samples.length);
  }

  computeMetrics(): Record<string, number> {
    const v = this.sequence[Math.min(this.call, this.sequence.length - 1)];
    this.call++;
    return { acc: v };
  }
}
