import { describe, expect, it } from 'vitest';
import { labelText } from '../src/index.js';

describe('labelText', () => {
  it('writes ground truth and prediction with score and class (spec seed 40)', () => {
    const lines = labelText({ gt_label: [1], pred_label: [1], pred_score: [0.2, 0.8] }, { classes: ['a', 'b'] });
    expect(lines.join('\n')).toBe('Ground truth: 1 (b)\nPrediction: 1, 0.80 (b)');
  });

  it('accepts single labels as numbers and float32 scores', () => {
    expect(labelText({ gt_label: 0, pred_label: 1, pred_score: new Float32Array([0.25, 0.75]) }, { classes: ['cat', 'dog'] })).toEqual([
      'Ground truth: 0 (cat)',
      'Prediction: 1, 0.75 (dog)',
    ]);
  });

  it('indents further labels under the first one (multi-label)', () => {
    const lines = labelText({ gt_label: [1, 3], pred_label: [1, 2], pred_score: [0.1, 0.9, 0.6, 0.3] });
    expect(lines).toEqual(['Ground truth: 1', '              3', 'Prediction: 1, 0.90', '            2, 0.60']);
  });

  it('omits what is switched off or missing', () => {
    const sample = { gt_label: 1, pred_label: 0, pred_score: [0.6, 0.4] };
    expect(labelText(sample, { draw_score: false, classes: ['a', 'b'] })).toEqual(['Ground truth: 1 (b)', 'Prediction: 0 (a)']);
    expect(labelText(sample, { draw_gt: false })).toEqual(['Prediction: 0, 0.60']);
    expect(labelText(sample, { draw_pred: false })).toEqual(['Ground truth: 1']);
    expect(labelText({ pred_label: 2 }, { classes: ['a', 'b'] })).toEqual(['Prediction: 2']);
    expect(labelText(undefined)).toEqual([]);
  });
});
