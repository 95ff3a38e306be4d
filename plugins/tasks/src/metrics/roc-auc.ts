import { z } from '@trainkit/core';
import type { DataBatch, DataSample } from '@trainkit/core';
import { TrainkitError } from '@trainkit/core';
import { getLogger } from '@trainkit/core';
import { defineOptions } from '@trainkit/core';
import { BaseMetric, type BaseMetricOptions } from '@trainkit/core';
import { trueLabel } from './labels.js';

export const rocAucOptions = defineOptions({
  average: z.enum(['macro']).nullable().optional(),
  prefix: z.string().nullable().optional(),
  collect_device: z.string().optional(),
});

export interface RocAucOptions extends BaseMetricOptions {
  /** `macro` (default): the mean of the one-vs-rest AUCs; `null`: one AUC per class (`auc_classwise`). */
  average?: 'macro' | null;
}

interface Result {
  gt: number;
  scores: number[];
}

/**
 * The area under the ROC curve, as scikit-learn's `roc_auc_score` (a fraction in [0, 1], ties
 * counted half). Binary when the scores have one column (the positive class's score) or two
 * (column 1 is the positive class), else one-vs-rest averaged over classes (`multi_class='ovr'`).
 * A NaN score counts as wrong: it ranks below every negative when the sample is a positive and
 * above every positive when it is a negative. A class with no positive or no negative samples
 * has no AUC; it is left out of the average with a warning (scikit-learn raises).
 */
export class ROCAUC extends BaseMetric<Result> {
  static override defaultPrefix = 'roc_auc';
  readonly average: 'macro' | null;

  constructor(opts: RocAucOptions = {}) {
    super(opts);
    this.average = opts.average === undefined ? 'macro' : opts.average;
  }

  process(_batch: DataBatch, samples: DataSample[]): void {
    for (const [i, s] of samples.entries()) {
      const gt = trueLabel(s);
      if (gt === undefined) continue;
      if (!s.pred_score?.length)
        throw new TrainkitError(`ROCAUC: sample ${i} has no pred_score; the model's predict mode must give scores (probabilities) per class`);
      this.results.push({ gt, scores: Array.from(s.pred_score) });
    }
  }

  computeMetrics(results: Result[]): Record<string, number | number[]> {
    if (results.length === 0) return { auc: Number.NaN };
    const width = results[0].scores.length;
    if (results.some((r) => r.scores.length !== width)) throw new TrainkitError('ROCAUC: samples have score vectors of different lengths');
    if (width <= 2) {
      const col = width - 1;
      return {
        auc: binaryAuc(
          results.map((r) => r.gt === 1),
          results.map((r) => r.scores[col]),
        ),
      };
    }
    const perClass = Array.from({ length: width }, (_, c) =>
      binaryAuc(
        results.map((r) => r.gt === c),
        results.map((r) => r.scores[c]),
      ),
    );
    if (this.average === null) return { auc_classwise: perClass };
    const defined = perClass.filter((v) => !Number.isNaN(v));
    const missing = perClass.flatMap((v, c) => (Number.isNaN(v) ? [c] : []));
    if (missing.length) getLogger().warn(`ROCAUC: class(es) ${missing.join(', ')} have no positive or no negative samples; left out of the macro average`);
    return { auc: defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : Number.NaN };
  }
}

/**
 * AUC = P(score of a random positive > score of a random negative) + 0.5 P(tie), from average
 * ranks (the Mann-Whitney statistic), which equals the trapezoidal area under the ROC curve.
 */
export function binaryAuc(positive: boolean[], scores: number[]): number {
  const nPos = positive.filter(Boolean).length;
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  const worst = scores.map((s, i) => (Number.isNaN(s) ? (positive[i] ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY) : s));
  const order = worst.map((_, i) => i).sort((a, b) => worst[a] - worst[b] || 0);
  let rankSumPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && worst[order[j + 1]] === worst[order[i]]) j++;
    const avgRank = (i + j + 2) / 2;
    for (let t = i; t <= j; t++) if (positive[order[t]]) rankSumPos += avgRank;
    i = j + 1;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
