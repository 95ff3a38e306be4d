import type { DataBatch, DataSample } from '../data/types.js';
import type { DatasetMeta } from '../data/dataset.js';
import { TrainkitError } from '../errors.js';
import type { Visualizer } from '../visualizer/visualizer.js';
import type { BaseMetric } from './base-metric.js';

/** Runs several metrics over the same predictions and merges their results. */
export class Evaluator {
  readonly metrics: BaseMetric[];

  constructor(metrics: BaseMetric | BaseMetric[]) {
    this.metrics = Array.isArray(metrics) ? metrics : [metrics];
  }

  set datasetMeta(meta: DatasetMeta | undefined) {
    for (const m of this.metrics) m.datasetMeta = meta;
  }

  /** Gives metrics that draw (ConfusionMatrix) the run's visualizer and the step to draw at. */
  setVisualizer(visualizer: Visualizer | undefined, step: number): void {
    for (const m of this.metrics) {
      m.visualizer = visualizer;
      m.visualizerStep = step;
    }
  }

  process(dataSamples: DataSample[], dataBatch: DataBatch): void {
    for (const m of this.metrics) m.process(dataBatch, dataSamples);
  }

  evaluate(size: number): Record<string, unknown> {
    const merged: Record<string, unknown> = {};
    for (const m of this.metrics) {
      for (const [k, v] of Object.entries(m.evaluate(size))) {
        if (k in merged) {
          throw new TrainkitError(
            `There are multiple evaluation results with the same metric name ${k}. Please make sure all metrics have different prefixes.`,
          );
        }
        merged[k] = v;
      }
    }
    return merged;
  }
}
