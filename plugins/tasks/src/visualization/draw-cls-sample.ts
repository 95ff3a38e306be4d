import type { DataSample, RawImage } from '@trainkit/core';
import { drawLabels } from './draw-labels.js';
import { type LabelTextOptions, labelText } from './label-text.js';
import { type RescaleOptions, resizeNearest, targetSize } from './rescale.js';

export interface DrawClsOptions extends LabelTextOptions, RescaleOptions {}

/**
 * A classification sample drawn on its image: scaled first (so tiny images get room for text),
 * then the ground-truth and prediction lines. Always returns a new RGB image.
 */
export function drawClsSample(image: RawImage, sample: DataSample | undefined, opts: DrawClsOptions = {}): RawImage {
  const size = targetSize(image.height, image.width, opts);
  const scaled = resizeNearest(image, size.height, size.width);
  return drawLabels(scaled, labelText(sample, opts));
}
