import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { HookPlan } from '@trainkit/core/plugin';
import { Runner } from '@trainkit/core';
import { tempDir } from '@trainkit/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { VisualizationHook } from '../src/index.js';
import { type ImageDatasetOptions, imageRunConfig, readPng, visImages } from './helpers.js';

const runners: Runner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.dispose();
});

function runner(dataset: ImageDatasetOptions, hook: Record<string, unknown>, overrides: Record<string, unknown> = {}): Runner {
  const r = new Runner(imageRunConfig(tempDir(), dataset, { custom_hooks: [{ type: 'VisualizationHook', ...hook }], ...overrides }));
  runners.push(r);
  return r;
}

describe('VisualizationHook', () => {
  it('is off by default and then implements no hook point, so the runner never calls it', async () => {
    const hook = new VisualizationHook();
    expect(hook.enable).toBe(false);
    expect(hook.afterValIter).toBeUndefined();
    expect(new HookPlan([hook]).calls.size).toBe(0);

    const r = runner({}, { enable: false, interval: 1 });
    await r.train();
    expect(visImages(r.logDir)).toEqual([]);
  });

  it('draws every interval-th validation sample, named by index or img_path basename, stepped by epoch (spec seed 40)', async () => {
    const r = runner({ length: 12, img_paths: { 5: 'x/cat.jpg' } }, { enable: true, interval: 5 }, { train_cfg: { by_epoch: true, max_epochs: 3 } });
    const numTensors = tf.memory().numTensors;
    await r.train();
    expect(tf.memory().numTensors).toBe(numTensors);
    expect(visImages(r.logDir)).toEqual([
      '0_1.png',
      '0_2.png',
      '0_3.png',
      '10_1.png',
      '10_2.png',
      '10_3.png',
      'cat.jpg_1.png',
      'cat.jpg_2.png',
      'cat.jpg_3.png',
    ]);
    // 8 px images are upscaled to 224 px so the labels fit
    expect(readPng(path.join(r.logDir, 'vis_data', 'vis_image', 'cat.jpg_3.png'))).toMatchObject({ width: 224, height: 224 });
  });

  it('indexes a short last batch correctly (10 samples, batches of 4, interval 3)', async () => {
    const r = runner({ length: 10 }, { enable: true, interval: 3 });
    await r.train();
    expect(visImages(r.logDir)).toEqual(['0_1.png', '3_1.png', '6_1.png', '9_1.png']);
  });

  it('follows a fixed set of samples across epochs with sample_indices', async () => {
    const r = runner({ length: 12 }, { enable: true, sample_indices: [7, 2, 2, 30] }, { train_cfg: { by_epoch: true, max_epochs: 2 } });
    await r.train();
    expect(visImages(r.logDir)).toEqual(['2_1.png', '2_2.png', '7_1.png', '7_2.png']);
  });

  it('steps by iteration in iteration-based training and by 0 in test', async () => {
    const r = runner(
      { length: 4, channels: 3, dtype: 'float', size: 16 },
      { enable: true, interval: 2, rescale_factor: 3 },
      {
        train_cfg: { by_epoch: false, max_iters: 4, val_interval: 2 },
        test_dataloader: { dataset: { type: 'VisImageDataset', length: 4, channels: 3, size: 16 }, batch_size: 3 },
        test_cfg: {},
        test_evaluator: { type: 'ToyMetric' },
      },
    );
    await r.train();
    await r.test();
    expect(visImages(r.logDir)).toEqual(['0_0.png', '0_2.png', '0_4.png', '2_0.png', '2_2.png', '2_4.png']);
    expect(readPng(path.join(r.logDir, 'vis_data', 'vis_image', '2_4.png'))).toMatchObject({ width: 48, height: 48 });
  });

  it('writes to out_dir (relative to the run folder) instead of the backends', async () => {
    const r = runner({ length: 4 }, { enable: true, interval: 2, out_dir: 'drawn', rescale_factor: 2 });
    await r.train();
    expect(fs.readdirSync(path.join(r.logDir, 'drawn')).sort()).toEqual(['0_1.png', '2_1.png']);
    expect(readPng(path.join(r.logDir, 'drawn', '2_1.png'))).toMatchObject({ width: 16, height: 16 });
    expect(visImages(r.logDir)).toEqual([]);
    // out_dir is not mistaken for the checkpoint folder
    expect(r.checkpointDir).toBe(r.workDir);
  });

  it('refuses to run enabled with a plain Visualizer, which draws nothing, and names the task visualizer', async () => {
    const r = runner({ length: 4 }, { enable: true, interval: 4 }, { visualizer: { type: 'Visualizer', vis_backends: [{ type: 'LocalVisBackend' }] } });
    await expect(r.train()).rejects.toThrow(
      /visualizer\.type: VisualizationHook is enabled but the visualizer draws no data samples.*\n {2}fix: name a task visualizer, e.g\. visualizer: \{ type: 'ClsVisualizer'.*@trainkit\/tasks/,
    );
    expect(visImages(r.logDir)).toEqual([]);
  });

  it("takes mmdet's draw for enable and test_out_dir for the test pass's images", async () => {
    const r = runner(
      { length: 4 },
      { draw: true, interval: 2, out_dir: 'val_drawn', test_out_dir: 'test_drawn', rescale_factor: 1 },
      {
        test_dataloader: { dataset: { type: 'VisImageDataset', length: 4 }, batch_size: 4 },
        test_cfg: {},
        test_evaluator: { type: 'ToyMetric' },
      },
    );
    expect((r.hooks.find((h) => h instanceof VisualizationHook) as VisualizationHook).enable).toBe(true);
    await r.train();
    await r.test();
    expect(fs.readdirSync(path.join(r.logDir, 'val_drawn')).sort()).toEqual(['0_1.png', '2_1.png']);
    expect(fs.readdirSync(path.join(r.logDir, 'test_drawn')).sort()).toEqual(['0_0.png', '2_0.png']);
    expect(visImages(r.logDir)).toEqual([]);
    expect(new VisualizationHook({ draw: false }).enable).toBe(false);
  });

  it('refuses wait_time (a wait on a window trainkit never opens) and a draw that contradicts enable', () => {
    expect(() => runner({}, { enable: true, wait_time: 2 })).toThrow(
      /^custom_hooks\.0\.wait_time: invalid value for VisualizationHook: wait_time is how long MMEngine waits on the window that show opens; trainkit runs headless/,
    );
    expect(() => runner({}, { enable: true, draw: false })).toThrow(/custom_hooks\.0\.draw: .*draw is another name for enable and says the opposite here/);
  });

  it('rejects unknown options with the config path', () => {
    expect(() => runner({}, { enable: true, intreval: 5 })).toThrow(/custom_hooks\.0\.intreval: unknown option "intreval"/);
  });
});
