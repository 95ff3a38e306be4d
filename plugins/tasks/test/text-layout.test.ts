import { describe, expect, it } from 'vitest';
import { MIN_FONT_PX, fitFont, textLayout } from '../src/index.js';

describe('textLayout', () => {
  it('matches mmpretrain for a 224 x 224 image: font size 7 at (5, 5) (spec seed 40)', () => {
    const l = textLayout(224, 224);
    expect(l).toMatchObject({ scale: 1, fontSize: 7, x: 5, y: 5 });
    expect(l.fontPx).toBeCloseTo(7 * (100 / 72));
  });

  it('scales with the short edge within [0.3, 3] and keeps a legible floor', () => {
    expect(textLayout(448, 1000)).toMatchObject({ scale: 2, fontSize: 14, x: 10, y: 10 });
    expect(textLayout(5000, 4000)).toMatchObject({ scale: 3, fontSize: 21 });
    const tiny = textLayout(28, 28);
    expect(tiny).toMatchObject({ scale: 0.3, fontSize: 2 });
    expect(tiny.fontPx).toBe(MIN_FONT_PX);
  });

  it('shrinks the font for lines wider than the image, not below the floor', () => {
    expect(fitFont(20, 100, 200)).toBe(20);
    expect(fitFont(20, 400, 200)).toBe(10);
    expect(fitFont(20, 4000, 200)).toBe(MIN_FONT_PX);
  });
});
