import { z } from '@trainkit/core';
import type { DataBatch, DataSample } from '@trainkit/core';
import { defineOptions } from '@trainkit/core';
import { BaseMetric } from '@trainkit/core';
import { type RegressionPair, averageOverOutputs, checkSameWidth, regressionPairs } from './regression-values.js';

export const maeOptions = defineOptions({
  prefix: z.string().nullable().optional(),
  collect_device: z.string().optional(),
});

/** The mean absolute error of `pred_value` against `gt_value`, averaged over outputs (`regression/mae`). */
export class MAE extends BaseMetric<RegressionPair> {
  static override defaultPrefix = 'regression';

  process(_batch: DataBatch, samples: DataSample[]): void {
    this.results.push(...regressionPairs(samples, 'MAE'));
  }

  computeMetrics(results: RegressionPair[]): Record<string, number> {
    checkSameWidth(results, 'MAE');
    return {
      mae: averageOverOutputs(
        results,
        (g, p) => Math.abs(g - p),
        (m) => m,
      ),
    };
  }
}
