import type { RawImage } from '@trainkit/core';

export interface RescaleOptions {
  /** Resize so the short edge has this many pixels (aspect ratio kept). */
  resize?: number;
  /** Multiply both sides by this factor. `1` turns the automatic upscaling off. */
  rescale_factor?: number;
}

/** Images whose short edge is below this are upscaled when no size option is given... */
export const AUTO_UPSCALE_BELOW = 100;
/** ...by the whole factor that brings the short edge to at least this (28 px → x8 → 224 px). */
export const AUTO_UPSCALE_TARGET = 224;

/**
 * The output size for an image: `resize` wins over `rescale_factor` (as in mmpretrain); with
 * neither, a tiny image (Fashion-MNIST's 28 px) is blown up by a whole factor so that the label
 * text, which needs about 200 px of width, fits and every source pixel stays a crisp square.
 */
export function targetSize(height: number, width: number, opts: RescaleOptions = {}): { height: number; width: number } {
  const short = Math.min(height, width);
  let factor: number;
  if (opts.resize !== undefined) factor = opts.resize / short;
  else if (opts.rescale_factor !== undefined) factor = opts.rescale_factor;
  else factor = short < AUTO_UPSCALE_BELOW ? Math.ceil(AUTO_UPSCALE_TARGET / short) : 1;
  return { height: Math.max(1, Math.round(height * factor)), width: Math.max(1, Math.round(width * factor)) };
}

/**
 * Nearest-neighbour resampling: no blur, so an upscaled 28 px digit shows exactly the pixels the
 * model saw. Each output pixel takes the source pixel its centre falls in.
 */
export function resizeNearest(image: RawImage, height: number, width: number): RawImage {
  if (height === image.height && width === image.width) return image;
  const { channels: c, data } = image;
  const out = new Uint8Array(height * width * c);
  const cols = new Int32Array(width);
  for (let x = 0; x < width; x++) cols[x] = Math.min(image.width - 1, Math.floor(((x + 0.5) * image.width) / width)) * c;
  for (let y = 0; y < height; y++) {
    const row = Math.min(image.height - 1, Math.floor(((y + 0.5) * image.height) / height)) * image.width * c;
    let o = y * width * c;
    for (let x = 0; x < width; x++) {
      const s = row + cols[x];
      for (let k = 0; k < c; k++) out[o++] = data[s + k];
    }
  }
  return { data: out, height, width, channels: c };
}
