/** Where and how large the label box is drawn on an image of a given size. */
export interface TextLayout {
  /** mmpretrain's scale: the short edge relative to 224 px, clamped to [0.3, 3]. */
  scale: number;
  /** mmpretrain's font size (matplotlib points): `int(7 * scale)`. */
  fontSize: number;
  /** Top-left corner of the text box, in pixels: `(5 * scale, 5 * scale)`. */
  x: number;
  y: number;
  /** The font height actually drawn, in pixels (see `textLayout`). */
  fontPx: number;
}

/** matplotlib draws points at 100 dpi in MMEngine's Visualizer: 1 pt = 100/72 px. */
const PX_PER_POINT = 100 / 72;
/** Below this a monospace glyph stops being legible, whatever the image size. */
export const MIN_FONT_PX = 9;

/**
 * mmpretrain's text placement for an `height` x `width` image, turned into pixels: the font is
 * as large as mmpretrain's looks on screen (its points at matplotlib's 100 dpi), and never
 * smaller than MIN_FONT_PX.
 */
export function textLayout(height: number, width: number): TextLayout {
  const scale = Math.min(3, Math.max(0.3, Math.min(height, width) / 224));
  const fontSize = Math.trunc(7 * scale);
  const x = 5 * scale;
  const y = 5 * scale;
  return { scale, fontSize, x, y, fontPx: Math.max(MIN_FONT_PX, fontSize * PX_PER_POINT) };
}

/**
 * The font size that keeps a line `measured` px wide (at `fontPx`) within `available` px, so
 * long class names are not cut off by the right edge; it never goes below MIN_FONT_PX, where
 * clipping is the lesser evil.
 */
export function fitFont(fontPx: number, measured: number, available: number): number {
  if (measured <= available || measured <= 0) return fontPx;
  return Math.max(MIN_FONT_PX, (fontPx * available) / measured);
}
