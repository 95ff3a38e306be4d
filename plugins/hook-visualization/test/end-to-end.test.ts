import * as path from 'node:path';
import { type TrainkitConfig, createRunner, defineConfig } from '@trainkit/core';
import { tempDir } from '@trainkit/core/testing';
import { expect, it } from 'vitest';
import '../src/index.js';
import { imageRunConfig, readPng, visImages, whitePixels } from './helpers.js';

it('a run with ClsVisualizer + LocalVisBackend leaves vis_data/vis_image/<name>_<epoch>.png', async () => {
  const workDir = tempDir();
  const config = imageRunConfig(
    workDir,
    { length: 8, channels: 1, size: 28 },
    {
      train_cfg: { by_epoch: true, max_epochs: 2 },
      custom_hooks: [{ type: 'VisualizationHook', enable: true, interval: 4, rescale_factor: 4 }],
    },
  );
  const runner = await createRunner(config);
  try {
    await runner.train();
    expect(visImages(runner.logDir)).toEqual(['0_1.png', '0_2.png', '4_1.png', '4_2.png']);
    const png = readPng(path.join(runner.logDir, 'vis_data', 'vis_image', '4_2.png'));
    expect([png.width, png.height]).toEqual([112, 112]);
    // white label text in the top-left corner of a dark image
    expect(whitePixels(png, 0, 0, 112, 30)).toBeGreaterThan(50);
  } finally {
    await runner.dispose();
  }
});

it('types the options in TS configs', () => {
  const cfg: TrainkitConfig = defineConfig({
    visualizer: { type: 'ClsVisualizer', vis_backends: [{ type: 'LocalVisBackend' }] },
    custom_hooks: [{ type: 'VisualizationHook', enable: true, interval: 10, sample_indices: [0, 5], rescale_factor: 4 }],
  });
  // @ts-expect-error interval is a number
  const bad: TrainkitConfig = { custom_hooks: [{ type: 'VisualizationHook', interval: 'often' }] };
  expect(cfg.custom_hooks).toHaveLength(1);
  expect(bad).toBeDefined();
});
