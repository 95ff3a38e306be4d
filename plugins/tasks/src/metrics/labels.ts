import type { DatasetMeta } from '@trainkit/core';
import type { DataSample } from '@trainkit/core';

/** The sample's true class, or undefined when it has none. */
export function trueLabel(s: DataSample): number | undefined {
  const gt = Array.isArray(s.gt_label) ? s.gt_label[0] : s.gt_label;
  return typeof gt === 'number' ? gt : undefined;
}

/**
 * The predicted class: the arg-max of `pred_score` (ties to the lower index), else `pred_label`.
 * A prediction with a NaN score is no class at all (-1), so every metric counts it as wrong.
 */
export function predictedLabel(s: DataSample): number {
  const scores = s.pred_score;
  if (scores && scores.length > 0) {
    let best = 0;
    for (let j = 0; j < scores.length; j++) {
      if (Number.isNaN(scores[j])) return -1;
      if (scores[j] > scores[best]) best = j;
    }
    return best;
  }
  const pred = Array.isArray(s.pred_label) ? s.pred_label[0] : s.pred_label;
  return typeof pred === 'number' && Number.isInteger(pred) ? pred : -1;
}

/** The class count: the option, else the dataset's classes, else the widest score vector or largest label seen. */
export function classCount(option: number | undefined, meta: DatasetMeta | undefined, seen: { scoreWidth: number; maxLabel: number }): number {
  if (option !== undefined) return option;
  if (meta?.classes?.length) return meta.classes.length;
  return Math.max(seen.scoreWidth, seen.maxLabel + 1);
}

/** Per-class true/false positives and false negatives over (true, predicted) pairs. */
export function confusionCounts(pairs: Array<[number, number]>, k: number): { tp: number[]; fp: number[]; fn: number[] } {
  const tp = new Array<number>(k).fill(0);
  const fp = new Array<number>(k).fill(0);
  const fn = new Array<number>(k).fill(0);
  for (const [gt, pred] of pairs) {
    if (gt === pred) tp[gt]++;
    else {
      if (gt >= 0 && gt < k) fn[gt]++;
      if (pred >= 0 && pred < k) fp[pred]++;
    }
  }
  return { tp, fp, fn };
}
