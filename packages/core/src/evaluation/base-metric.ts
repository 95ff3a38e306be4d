import type { DataBatch, DataSample } from '../data/types.js';
import type { DatasetMeta } from '../data/dataset.js';
import { getLogger } from '../logging/logger.js';
import type { Visualizer } from '../visualizer/visualizer.js';

export interface BaseMetricOptions {
  prefix?: string | null;
  /** Accepted for MMEngine configs; one process has nothing to collect across. */
  collect_device?: string;
}

/**
 * A metric accumulates per-batch results in `process` and turns them into numbers in
 * `computeMetrics`; `evaluate` prefixes the names (`accuracy/top1`) and resets.
 */
export abstract class BaseMetric<R = unknown> {
  /** The prefix used when the config gives none. */
  static defaultPrefix: string | undefined;
  readonly prefix: string | undefined;
  results: R[] = [];
  datasetMeta: DatasetMeta | undefined;
  /** Where metrics that draw (ConfusionMatrix) send images, and the step; set by the eval loop. */
  visualizer: Visualizer | undefined;
  visualizerStep = 0;

  constructor(opts: BaseMetricOptions = {}) {
    this.prefix = opts.prefix ?? (this.constructor as typeof BaseMetric).defaultPrefix;
    if (!this.prefix) getLogger().warn(`The prefix is not set in metric class ${this.constructor.name}.`);
  }

  abstract process(dataBatch: DataBatch, dataSamples: DataSample[]): void;

  abstract computeMetrics(results: R[]): Record<string, number | unknown>;

  evaluate(_size: number): Record<string, unknown> {
    const metrics = this.computeMetrics(this.results);
    this.results = [];
    if (!this.prefix) return metrics;
    return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${this.prefix}/${k}`, v]));
  }
}
