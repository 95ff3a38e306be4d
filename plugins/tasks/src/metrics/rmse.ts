import { z } from '@trainkit/core';
import type { DataBatch, DataSample } from '@trainkit/core';
import { defineOptions } from '@trainkit/core';
import { BaseMetric } from '@trainkit/core';
import { type RegressionPair, averageOverOutputs, checkSameWidth, regressionPairs } from './regression-values.js';

export const rmseOptions = defineOptions({
  prefix: z.string().nullable().optional(),
  collect_device: z.string().optional(),
});

/** The root mean squared error (the root is taken per output, as scikit-learn's `root_mean_squared_error`) of `pred_value` against `gt_value`, averaged over outputs (`regression/rmse`). */
export class RMSE extends BaseMetric<RegressionPair> {
  static override defaultPrefix = 'regression';

  process(_batch: DataBatch, samples: DataSample[]): void {
    this.results.push(...regressionPairs(samples, 'RMSE'));
  }

  computeMetrics(results: RegressionPair[]): Record<string, number> {
    checkSameWidth(results, 'RMSE');
    return {
      rmse: averageOverOutputs(
        results,
        (g, p) => (g - p) ** 2,
        (m) => Math.sqrt(m),
      ),
    };
  }
}
