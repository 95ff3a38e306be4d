// examples/guides/src/own-metric.ts
import * as tf from '@tensorflow/tfjs';
import { BaseMetric, type DataBatch, type DataSample, METRICS, createRunner, defineOptions, z } from '@trainkit/core';
import { TensorDataset } from '@trainkit/core/data';
import { LayersModelWrapper } from '@trainkit/tasks';
import '@trainkit/hook-logger';

interface Pair {
  gt: number;
  pred: number;
}

/**
 * The coefficient of determination R² = 1 - SS_res / SS_tot. `process` keeps what one batch
 * contributes (plain numbers, no tensors); `computeMetrics` reduces everything kept over the
 * whole evaluation. Names come out prefixed: `r2/score`.
 */
export class R2Score extends BaseMetric<Pair> {
  static override defaultPrefix = 'r2';

  process(_batch: DataBatch, samples: DataSample[]): void {
    for (const s of samples) {
      if (typeof s.gt_value !== 'number') continue;
      this.results.push({ gt: s.gt_value, pred: Number(s.pred_value) });
    }
  }

  computeMetrics(results: Pair[]): Record<string, number> {
    const mean = results.reduce((a, r) => a + r.gt, 0) / results.length;
    let ssRes = 0;
    let ssTot = 0;
    for (const r of results) {
      // a NaN prediction makes ssRes NaN: the score says so instead of hiding it
      ssRes += (r.gt - r.pred) ** 2;
      ssTot += (r.gt - mean) ** 2;
    }
    return { score: 1 - ssRes / ssTot };
  }
}

// options are checked when a config builds it: {type: 'R2Score', prefix: 'val_r2'}
METRICS.register('R2Score', R2Score, { options: defineOptions({ prefix: z.string().nullable().optional(), collect_device: z.string().optional() }) });

/** Tests a fixed model y = 2x on noisy data with the new metric beside a built-in one. */
export async function main(workDir = './work_dirs/own-metric') {
  const network = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1, weights: [tf.tensor2d([[2]]), tf.tensor1d([0])] })] });
  const x = Array.from({ length: 50 }, (_, i) => [i / 10]);
  const y = x.map(([v], i) => [2 * v + (i % 2 ? 0.3 : -0.3)]);
  const runner = await createRunner({
    work_dir: workDir,
    env_cfg: { backend: 'cpu' },
    model: new LayersModelWrapper({ network, loss: 'meanSquaredError' }),
    test_dataloader: { dataset: new TensorDataset(x, y), batch_size: 16 },
    test_cfg: {},
    test_evaluator: [{ type: 'R2Score' }, { type: 'MAE' }],
  });
  const metrics = await runner.test();
  await runner.dispose();
  return { metrics, x, y };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await main()).metrics);
