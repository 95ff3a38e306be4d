import * as fs from 'node:fs';
import * as path from 'node:path';
import { type AddDatasampleOptions, type DataSample, type RawImage, Visualizer, assertImage, encodePng } from '@trainkit/core';
import { type DrawClsOptions, drawClsSample } from './draw-cls-sample.js';

export interface ClsDatasampleOptions extends AddDatasampleOptions, DrawClsOptions {
  /** Accepted for MMEngine configs; there is no window to show in a headless run. */
  show?: boolean;
}

/**
 * Draws a classification sample and delivers it: to `out_file` as PNG when given (the backends
 * are skipped, as in MMEngine), else to every backend of `visualizer` through `addImage`.
 * Class names come from `opts.classes`, else from the dataset meta the eval loop set.
 */
export function addClsDatasample(
  visualizer: Visualizer,
  name: string,
  image: RawImage,
  sample: DataSample | undefined,
  opts: ClsDatasampleOptions = {},
): RawImage {
  assertImage(image, `addDatasample(${name})`);
  const drawn = drawClsSample(image, sample, { ...opts, classes: opts.classes ?? visualizer.datasetMeta?.classes });
  if (opts.out_file) {
    fs.mkdirSync(path.dirname(opts.out_file), { recursive: true });
    fs.writeFileSync(opts.out_file, encodePng(drawn));
  } else {
    visualizer.addImage(name, drawn, opts.step ?? 0);
  }
  return drawn;
}

/**
 * The classification visualizer (mmpretrain's ClsVisualizer, also registered as
 * UniversalVisualizer so mmpretrain configs build): a Visualizer whose `addDatasample` writes
 * `Ground truth: <id> (<class>)` and `Prediction: <id>, <score> (<class>)` on the image.
 */
export class ClsVisualizer extends Visualizer {
  override addDatasample(name: string, image: RawImage, sample?: DataSample, opts: ClsDatasampleOptions = {}): RawImage {
    return addClsDatasample(this, name, image, sample, opts);
  }
}
