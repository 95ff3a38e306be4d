import { z } from '@trainkit/core';
import { getLogger } from '@trainkit/core';
import { defineOptions } from '@trainkit/core';
import type { RawImage } from '@trainkit/core';
import type { BaseMetricOptions } from '@trainkit/core';
import { type LabelPair, LabelPairMetric } from './label-pair-metric.js';

export const confusionMatrixOptions = defineOptions({
  num_classes: z.number().int().positive().optional(),
  prefix: z.string().nullable().optional(),
  collect_device: z.string().optional(),
});

export interface ConfusionMatrixOptions extends BaseMetricOptions {
  num_classes?: number;
}

/**
 * The confusion matrix of a single-label classifier (`confusion_matrix/result`): rows are true
 * classes, columns predicted ones, as scikit-learn's `confusion_matrix(labels=range(k))`. Samples
 * whose scores hold a NaN belong to no column; they are counted in `confusion_matrix/unscored`.
 * During a run the evaluator draws it as an image to the vis backends (`drawConfusionMatrix`).
 */
export class ConfusionMatrix extends LabelPairMetric {
  static override defaultPrefix = 'confusion_matrix';

  computeMetrics(results: LabelPair[]): Record<string, number | number[][]> {
    const k = this.takeClassCount();
    const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    let unscored = 0;
    for (const [gt, pred] of results) {
      if (pred < 0 || pred >= k || gt < 0 || gt >= k) unscored++;
      else matrix[gt][pred]++;
    }
    if (unscored) getLogger().warn(`ConfusionMatrix: ${unscored} sample(s) had NaN scores or labels outside 0..${k - 1}; they are counted as unscored`);
    this.lastMatrix = matrix;
    return { result: matrix, unscored };
  }

  /** The matrix of the last evaluation, for drawing. */
  lastMatrix: number[][] | undefined;

  override evaluate(size: number): Record<string, unknown> {
    const metrics = super.evaluate(size);
    if (this.lastMatrix && this.visualizer)
      this.visualizer.addImage(this.prefix ?? 'confusion_matrix', drawConfusionMatrix(this.lastMatrix), this.visualizerStep);
    return metrics;
  }
}

/**
 * The matrix as a heat map (RGB, 16 px a cell, a 1 px grid): each row is shaded by its share of
 * the row's samples, white for none to dark blue for all, so classes of any size read alike.
 */
export function drawConfusionMatrix(matrix: number[][], cell = 16): RawImage {
  const k = matrix.length;
  const size = k * cell + 1;
  const data = new Uint8Array(size * size * 3).fill(160);
  for (let r = 0; r < k; r++) {
    const total = matrix[r].reduce((a, b) => a + b, 0);
    for (let c = 0; c < k; c++) {
      const share = total ? matrix[r][c] / total : 0;
      const rgb = [255 - 247 * share, 255 - 207 * share, 255 - 148 * share].map(Math.round);
      for (let y = r * cell + 1; y < (r + 1) * cell; y++) {
        for (let x = c * cell + 1; x < (c + 1) * cell; x++) data.set(rgb, (y * size + x) * 3);
      }
    }
  }
  return { data, width: size, height: size, channels: 3 };
}
