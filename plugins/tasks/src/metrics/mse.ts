import { z } from '@trainkit/core';
import type { DataBatch, DataSample } from '@trainkit/core';
import { defineOptions } from '@trainkit/core';
import { BaseMetric } from '@trainkit/core';
import { type RegressionPair, averageOverOutputs, checkSameWidth, regressionPairs } from './regression-values.js';

export const mseOptions = defineOptions({
  prefix: z.string().nullable().optional(),
  collect_device: z.string().optional(),
});

/** The mean squared error of `pred_value` against `gt_value`, averaged over outputs (`regression/mse`). */
export class MSE extends BaseMetric<RegressionPair> {
  static override defaultPrefix = 'regression';

  process(_batch: DataBatch, samples: DataSample[]): void {
    this.results.push(...regressionPairs(samples, 'MSE'));
  }

  computeMetrics(results: RegressionPair[]): Record<string, number> {
    checkSameWidth(results, 'MSE');
    return {
      mse: averageOverOutputs(
        results,
        (g, p) => (g - p) ** 2,
        (m) => m,
      ),
    };
  }
}
