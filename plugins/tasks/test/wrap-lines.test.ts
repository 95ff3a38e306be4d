import { describe, expect, it } from 'vitest';
import { wrapLines } from '../src/visualization/wrap-lines.js';

const chars = (t: string) => t.length;

describe('wrapLines', () => {
  it('keeps lines that fit and breaks the others at spaces', () => {
    expect(wrapLines(['Ground truth: 1 (b)', 'Prediction: 1, 0.80 (b)'], 20, chars)).toEqual(['Ground truth: 1 (b)', 'Prediction: 1, 0.80', '(b)']);
  });

  it('drops the alignment indent of a wrapped continuation line and keeps long words whole', () => {
    expect(wrapLines(['            2, 0.60 (a_long_class_name)'], 10, chars)).toEqual(['2, 0.60', '(a_long_class_name)']);
  });
});
