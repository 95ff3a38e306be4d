import type { DataSample } from '@trainkit/core';
import { TrainkitError } from '@trainkit/core';

/** One sample's target and prediction as equal-length number lists (one entry per output). */
export interface RegressionPair {
  gt: number[];
  pred: number[];
}

function asList(v: unknown): number[] | undefined {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.from(v as ArrayLike<number>);
  return undefined;
}

/** Reads `gt_value` and `pred_value` of every sample (regression models fill `pred_value`). */
export function regressionPairs(samples: DataSample[], metric: string): RegressionPair[] {
  const out: RegressionPair[] = [];
  for (const [i, s] of samples.entries()) {
    const gt = asList(s.gt_value);
    if (gt === undefined) continue;
    const pred = asList(s.pred_value);
    if (pred === undefined || pred.length !== gt.length) {
      throw new TrainkitError(
        `${metric}: sample ${i} has gt_value with ${gt.length} value(s) but pred_value ${pred === undefined ? 'is missing' : `has ${pred.length}`}; the model's predict mode must set pred_value (a number or a list, one per output)`,
      );
    }
    out.push({ gt, pred });
  }
  return out;
}

/**
 * scikit-learn's `multioutput='uniform_average'`: `perOutput` reduces each output column's
 * errors, then the columns are averaged. NaN when there is nothing to average or a prediction
 * is NaN (an error that cannot be measured is not hidden).
 */
export function averageOverOutputs(results: RegressionPair[], error: (gt: number, pred: number) => number, perOutput: (mean: number) => number): number {
  if (results.length === 0) return Number.NaN;
  const width = results[0].gt.length;
  let total = 0;
  for (let j = 0; j < width; j++) {
    let sum = 0;
    for (const r of results) sum += error(r.gt[j], r.pred[j]);
    total += perOutput(sum / results.length);
  }
  return total / width;
}

export function checkSameWidth(results: RegressionPair[], metric: string): void {
  const width = results[0]?.gt.length;
  if (results.some((r) => r.gt.length !== width))
    throw new TrainkitError(`${metric}: samples have different numbers of outputs; every gt_value must have the same length`);
}
