import type { DataBatch, DataSample } from '@trainkit/core';
import { BaseMetric, type BaseMetricOptions } from '@trainkit/core';
import { classCount, predictedLabel, trueLabel } from './labels.js';

export type LabelPair = [gt: number, pred: number];

/**
 * The part single-label classification metrics share: each sample becomes a (true, predicted)
 * pair, and the class count is the option, the dataset's classes, or what the pairs show.
 */
export abstract class LabelPairMetric extends BaseMetric<LabelPair> {
  readonly numClasses: number | undefined;
  private seen = { scoreWidth: 0, maxLabel: -1 };

  constructor(opts: BaseMetricOptions & { num_classes?: number } = {}) {
    super(opts);
    this.numClasses = opts.num_classes;
  }

  process(_batch: DataBatch, samples: DataSample[]): void {
    for (const s of samples) {
      const gt = trueLabel(s);
      if (gt === undefined) continue;
      const pred = predictedLabel(s);
      this.seen.scoreWidth = Math.max(this.seen.scoreWidth, s.pred_score?.length ?? 0);
      this.seen.maxLabel = Math.max(this.seen.maxLabel, gt, pred);
      this.results.push([gt, pred]);
    }
  }

  /** The class count of the pairs collected since the last evaluation (and a fresh start for the next). */
  protected takeClassCount(): number {
    const k = classCount(this.numClasses, this.datasetMeta, this.seen);
    this.seen = { scoreWidth: 0, maxLabel: -1 };
    return k;
  }
}
