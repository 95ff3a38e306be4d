import type { DataBatch, DataSample } from '@trainkit/core';
import { z } from '@trainkit/core';
import { defineOptions } from '@trainkit/core';
import { ConfigError } from '@trainkit/core';
import { BaseMetric, type BaseMetricOptions } from '@trainkit/core';

export const accuracyOptions = defineOptions({
  topk: z.union([z.number().int().positive(), z.array(z.number().int().positive()).min(1)]).optional(),
  prefix: z.string().nullable().optional(),
  collect_device: z.string().optional(),
});

export interface AccuracyOptions extends BaseMetricOptions {
  topk?: number | number[];
}

interface Result {
  /** Rank of the true label among the scores (0 = best). */
  rank: number;
}

/** Top-k classification accuracy in percent, as mmpretrain reports it (`accuracy/top1`). */
export class Accuracy extends BaseMetric<Result> {
  static override defaultPrefix = 'accuracy';
  readonly topk: number[];

  constructor(opts: AccuracyOptions = {}) {
    super(opts);
    this.topk = Array.isArray(opts.topk) ? opts.topk : [opts.topk ?? 1];
  }

  process(_batch: DataBatch, samples: DataSample[]): void {
    for (const s of samples) {
      const gt = Array.isArray(s.gt_label) ? s.gt_label[0] : s.gt_label;
      if (gt === undefined) continue;
      const scores = s.pred_score;
      if (scores) {
        this.checkTopk(scores.length);
        const target = scores[gt];
        let rank = 0;
        for (let j = 0; j < scores.length; j++) {
          const score = scores[j];
          // NaN compares false with everything: a diverged model would otherwise score 100 %
          if (Number.isNaN(score)) {
            rank = Number.POSITIVE_INFINITY;
            break;
          }
          if (score > target || (score === target && j < gt)) rank++;
        }
        if (target === undefined) rank = Number.POSITIVE_INFINITY;
        this.results.push({ rank });
      } else {
        const pred = Array.isArray(s.pred_label) ? s.pred_label[0] : s.pred_label;
        this.results.push({ rank: pred === gt ? 0 : Number.POSITIVE_INFINITY });
      }
    }
  }

  /**
   * Top-k of n classes with k > n counts every sample as a hit (top-20 of 10 classes reports
   * 100 %; PyTorch's topk refuses it): an error, not a number.
   */
  private checkTopk(classes: number): void {
    const k = Math.max(...this.topk);
    if (k <= classes) return;
    throw new ConfigError(`top-${k} accuracy of ${classes} classes counts every prediction as correct`, {
      path: `${this.configPath ?? 'Accuracy'}.topk`,
      found: this.topk.length === 1 ? this.topk[0] : this.topk,
      fix: `use k values up to ${classes}, e.g. topk: ${classes > 5 ? '[1, 5]' : '1'}`,
    });
  }

  computeMetrics(results: Result[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of this.topk) {
      const hits = results.filter((r) => r.rank < k).length;
      out[`top${k}`] = results.length ? (100 * hits) / results.length : 0;
    }
    return out;
  }
}
