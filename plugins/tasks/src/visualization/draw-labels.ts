import { createCanvas } from '@napi-rs/canvas';
import type { RawImage } from '@trainkit/core';
import { labelFontFamily } from './font.js';
import { fitFont, textLayout } from './text-layout.js';
import { wrapLines } from './wrap-lines.js';

/** Box behind the text: black at half opacity, so white text reads on dark and on light images. */
const BOX_COLOR = 'rgba(0, 0, 0, 0.5)';
const TEXT_COLOR = '#ffffff';
const LINE_HEIGHT = 1.25;
/** Padding around the text inside the box, in ems. */
const PAD = 0.3;

/** RGBA pixels of an 8-bit gray, RGB or RGBA image (what a canvas holds). */
function toRgba(image: RawImage): Uint8ClampedArray {
  const { data, channels: c } = image;
  const n = image.width * image.height;
  const out = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    const s = p * c;
    out[p * 4] = data[s];
    out[p * 4 + 1] = c === 1 ? data[s] : data[s + 1];
    out[p * 4 + 2] = c === 1 ? data[s] : data[s + 2];
    out[p * 4 + 3] = c === 4 ? data[s + 3] : 255;
  }
  return out;
}

function toRgb(rgba: Uint8ClampedArray, width: number, height: number): RawImage {
  const n = width * height;
  const out = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    out[p * 3] = rgba[p * 4];
    out[p * 3 + 1] = rgba[p * 4 + 1];
    out[p * 3 + 2] = rgba[p * 4 + 2];
  }
  return { data: out, width, height, channels: 3 };
}

/**
 * Draws `lines` in one box at the image's top-left corner and returns the result as RGB whatever
 * the input, so every backend receives one kind of image. The font follows the image size (see
 * `textLayout`), shrinks when the widest line would leave the image, and wraps lines at spaces
 * when even the smallest legible font is too wide.
 */
export function drawLabels(image: RawImage, lines: readonly string[]): RawImage {
  const { width, height } = image;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const pixels = ctx.createImageData(width, height);
  pixels.data.set(toRgba(image));
  ctx.putImageData(pixels, 0, 0);
  if (lines.length > 0) {
    const layout = textLayout(height, width);
    const family = labelFontFamily();
    const base = layout.fontPx;
    ctx.font = `${base}px ${family}`;
    const widest = Math.max(...lines.map((l) => ctx.measureText(l).width));
    // the box keeps the same margin on the right as on the left
    const px = fitFont(base, widest, width - 2 * layout.x - 2 * PAD * base);
    ctx.font = `${px}px ${family}`;
    const pad = PAD * px;
    const shown = wrapLines(lines, width - 2 * layout.x - 2 * pad, (t) => ctx.measureText(t).width);
    const textWidth = Math.max(...shown.map((l) => ctx.measureText(l).width));
    const lineHeight = LINE_HEIGHT * px;
    ctx.fillStyle = BOX_COLOR;
    ctx.beginPath();
    ctx.roundRect(layout.x, layout.y, textWidth + 2 * pad, shown.length * lineHeight + 2 * pad, pad);
    ctx.fill();
    ctx.fillStyle = TEXT_COLOR;
    ctx.textBaseline = 'top';
    // each line is centred vertically in its line box
    const top = layout.y + pad + (LINE_HEIGHT - 1) * px * 0.5;
    for (let i = 0; i < shown.length; i++) ctx.fillText(shown[i], layout.x + pad, top + i * lineHeight);
  }
  return toRgb(ctx.getImageData(0, 0, width, height).data, width, height);
}
