import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalVisBackend, VISUALIZERS, type Visualizer } from '@trainkit/core';
import { tempDir } from '@trainkit/core/testing';
import { describe, expect, it } from 'vitest';
import { ClsVisualizer, resizeNearest, textLayout } from '../src/index.js';
import { changedPixels, readPng, rgbaOf, testImage, whitePixels } from './helpers.js';

const sample = { gt_label: 1, pred_label: 1, pred_score: new Float32Array([0.2, 0.8]) };

function localVisualizer(): { vis: ClsVisualizer; dir: string } {
  const dir = tempDir();
  const vis = new ClsVisualizer({ vis_backends: [new LocalVisBackend({ save_dir: dir })] });
  vis.datasetMeta = { classes: ['a', 'b'] };
  return { vis, dir };
}

describe('ClsVisualizer', () => {
  for (const channels of [1, 3] as const) {
    it(`draws the labels on a ${channels === 1 ? 'gray' : 'RGB'} image and saves <name>_<step>.png at rescale_factor x`, () => {
      const { vis, dir } = localVisualizer();
      const image = testImage(40, 60, channels);
      vis.addDatasample('sample', image, sample, { step: 3, rescale_factor: 4 });
      const file = path.join(dir, 'vis_image', 'sample_3.png');
      const png = readPng(file);
      expect([png.width, png.height]).toEqual([240, 160]);

      // compare with the plain upscaled image: the text box (top-left) changed, the rest did not
      const plain = rgbaOf(resizeNearest(image, 160, 240));
      const { x, y, fontPx } = textLayout(160, 240);
      const boxBottom = Math.ceil(y + 3 * fontPx);
      const inBox = changedPixels(png, { data: plain }, Math.floor(x), Math.floor(y), 200, boxBottom);
      expect(inBox).toBeGreaterThan(1000);
      expect(whitePixels(png, Math.floor(x), Math.floor(y), 200, boxBottom)).toBeGreaterThan(100);
      expect(changedPixels(png, { data: plain }, 0, boxBottom + 2, 240, 160)).toBe(0);
    });
  }

  it('writes to out_file instead of the backends', () => {
    const { vis, dir } = localVisualizer();
    const out = path.join(dir, 'elsewhere', 'x.png');
    vis.addDatasample('sample', testImage(28, 28, 1), sample, { step: 1, out_file: out });
    expect(readPng(out)).toMatchObject({ width: 224, height: 224 });
    expect(fs.existsSync(path.join(dir, 'vis_image'))).toBe(false);
  });

  it('reaches every backend through addImage', () => {
    const seen: Array<[string, number, number, number]> = [];
    const vis = new ClsVisualizer({
      vis_backends: [
        { name: 'mem', addImage: (n: string, img: { width: number; height: number }, step: number) => seen.push([n, img.width, img.height, step]) },
      ] as never,
    });
    vis.addDatasample('7', testImage(10, 20, 3), sample, { step: 2, rescale_factor: 10 });
    expect(seen).toEqual([['7', 200, 100, 2]]);
  });

  it('is built from the config by both names', () => {
    for (const type of ['ClsVisualizer', 'UniversalVisualizer']) {
      const vis = VISUALIZERS.build<Visualizer>({ type, vis_backends: [{ type: 'LocalVisBackend' }] }, { save_dir: tempDir() }, 'visualizer');
      expect(vis).toBeInstanceOf(ClsVisualizer);
    }
    expect(() => VISUALIZERS.build({ type: 'ClsVisualizer', draw_gt: true }, {}, 'visualizer')).toThrow(/unknown option "draw_gt"/);
  });
});
