import { z } from '@trainkit/core';
import { defineOptions } from '@trainkit/core';
import type { BaseMetricOptions } from '@trainkit/core';
import { type LabelPair, LabelPairMetric } from './label-pair-metric.js';
import { confusionCounts } from './labels.js';

const ITEMS = ['precision', 'recall', 'f1-score'] as const;
type Item = (typeof ITEMS)[number];

export const singleLabelMetricOptions = defineOptions({
  items: z.array(z.enum(ITEMS)).min(1).optional(),
  average: z.enum(['macro', 'micro']).nullable().optional(),
  num_classes: z.number().int().positive().optional(),
  prefix: z.string().nullable().optional(),
  collect_device: z.string().optional(),
});

export interface SingleLabelMetricOptions extends BaseMetricOptions {
  /** Which of precision, recall and f1-score to report (all three by default). */
  items?: Item[];
  /** `macro` (default): the mean over classes; `micro`: from the summed counts; `null`: one value per class. */
  average?: 'macro' | 'micro' | null;
  /** The class count; by default the dataset's `classes`, else inferred from scores and labels. */
  num_classes?: number;
}

/**
 * Precision, recall and F1 of a single-label classifier in percent, as mmpretrain's
 * SingleLabelMetric and scikit-learn's `precision_recall_fscore_support` (with
 * `labels=range(num_classes)`, `zero_division=0`) define them. A prediction with a NaN score
 * belongs to no class: a false negative of its true class and a false positive of none.
 */
export class SingleLabelMetric extends LabelPairMetric {
  static override defaultPrefix = 'single-label';
  readonly items: readonly Item[];
  readonly average: 'macro' | 'micro' | null;

  constructor(opts: SingleLabelMetricOptions = {}) {
    super(opts);
    this.items = opts.items ?? ITEMS;
    this.average = opts.average === undefined ? 'macro' : opts.average;
  }

  computeMetrics(results: LabelPair[]): Record<string, number | number[]> {
    const k = this.takeClassCount();
    const { tp, fp, fn } = confusionCounts(results, k);
    const out: Record<string, number | number[]> = {};
    if (this.average === 'micro') {
      const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
      const scores = prf(sum(tp), sum(fp), sum(fn));
      for (const item of this.items) out[item] = scores[item];
      return out;
    }
    const perClass = tp.map((_, c) => prf(tp[c], fp[c], fn[c]));
    for (const item of this.items) {
      const values = perClass.map((s) => s[item]);
      if (this.average === 'macro') out[item] = values.reduce((x, y) => x + y, 0) / k;
      else out[`${item}_classwise`] = values;
    }
    return out;
  }
}

/** Percent precision, recall and F1 from counts; 0 where a ratio has nothing to divide by. */
function prf(tp: number, fp: number, fn: number): Record<Item, number> {
  const precision = tp + fp > 0 ? (100 * tp) / (tp + fp) : 0;
  const recall = tp + fn > 0 ? (100 * tp) / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, 'f1-score': f1 };
}
