import * as fs from 'node:fs';
import type { RawImage } from '@trainkit/core';
import { PNG } from 'pngjs';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA */
  data: Buffer;
}

export function readPng(file: string): DecodedPng {
  const png = PNG.sync.read(fs.readFileSync(file));
  return { width: png.width, height: png.height, data: png.data };
}

/** Pixels (as RGBA offsets) inside [x0, x1) x [y0, y1) whose RGB differs between two decoded images. */
export function changedPixels(a: DecodedPng, b: { data: ArrayLike<number> }, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = (y * a.width + x) * 4;
      if (a.data[o] !== b.data[o] || a.data[o + 1] !== b.data[o + 1] || a.data[o + 2] !== b.data[o + 2]) n++;
    }
  }
  return n;
}

/** Near-white pixels in a region: the label text is white. */
export function whitePixels(a: DecodedPng, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (a.data[(y * a.width + x) * 4] > 230 && a.data[(y * a.width + x) * 4 + 2] > 230) n++;
  return n;
}

/** An RGBA copy of an 8-bit image, for comparing with decoded PNGs. */
export function rgbaOf(image: RawImage): Uint8Array {
  const n = image.width * image.height;
  const out = new Uint8Array(n * 4);
  for (let p = 0; p < n; p++) {
    const s = p * image.channels;
    const gray = image.channels === 1;
    out.set([image.data[s], image.data[gray ? s : s + 1], image.data[gray ? s : s + 2], 255], p * 4);
  }
  return out;
}

/** A dark image with a brighter square in the middle, `channels` deep. */
export function testImage(height: number, width: number, channels: 1 | 3, value = 60): RawImage {
  const data = new Uint8Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = y > height / 4 && y < (3 * height) / 4 && x > width / 4 && x < (3 * width) / 4;
      for (let k = 0; k < channels; k++) data[(y * width + x) * channels + k] = inside ? 180 + 20 * k : value;
    }
  }
  return { data, height, width, channels };
}
