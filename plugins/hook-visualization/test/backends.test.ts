import * as fs from 'node:fs';
import * as path from 'node:path';
import { Runner } from '@trainkit/core';
import { tempDir } from '@trainkit/core/testing';
import { readRun } from '@trainkit/tfevents';
import '@trainkit/vis-tensorboard';
import { RecordLogReader, decodeRecord } from '@trainkit/vis-wandb';
import { PNG } from 'pngjs';
import { expect, it } from 'vitest';
import '../src/index.js';
import { imageRunConfig, readPng, visImages } from './helpers.js';

/** `{history key: media path}` for every image the W&B run log holds. */
function wandbImages(logFile: string): Record<string, string> {
  const out: Record<string, string> = {};
  const reader = new RecordLogReader(logFile);
  try {
    for (let buf = reader.next(); buf; buf = reader.next()) {
      const rec = decodeRecord(buf);
      if (rec.type !== 'history') continue;
      for (const item of rec.items) {
        const value = JSON.parse(item.valueJson) as { _type?: string; path?: string };
        if (value?._type === 'image-file' && value.path) out[item.key] = value.path;
      }
    }
  } finally {
    reader.close();
  }
  return out;
}

it('sends the same drawings to every backend: local PNGs, TensorBoard image summaries, W&B media (offline run)', async () => {
  const runner = new Runner(
    imageRunConfig(
      tempDir(),
      { length: 4 },
      {
        visualizer: {
          type: 'ClsVisualizer',
          vis_backends: [
            { type: 'LocalVisBackend' },
            { type: 'TensorboardVisBackend' },
            { type: 'WandbVisBackend', init_kwargs: { mode: 'offline', project: 'vis-test' } },
          ],
        },
        custom_hooks: [{ type: 'VisualizationHook', enable: true, interval: 2 }],
      },
    ),
  );
  await runner.train();
  await runner.dispose();
  expect(visImages(runner.logDir)).toEqual(['0_1.png', '2_1.png']);

  const tb = await readRun(path.join(runner.logDir, 'vis_data'));
  expect([...tb.images.keys()].sort()).toEqual(['0', '2']);
  for (const points of tb.images.values()) {
    expect(points.map((p) => [p.step, p.value.width, p.value.height])).toEqual([[1, 224, 224]]);
    const png = PNG.sync.read(Buffer.from(points[0].value.images[0]));
    expect([png.width, png.height]).toEqual([224, 224]);
  }

  const wandbDir = path.join(runner.logDir, 'vis_data', 'wandb');
  const runDir = fs.readdirSync(wandbDir).find((d) => d.startsWith('offline-run-'))!;
  const logFile = fs
    .readdirSync(path.join(wandbDir, runDir))
    .filter((f) => f.endsWith('.wandb'))
    .map((f) => path.join(wandbDir, runDir, f))[0];
  const images = wandbImages(logFile);
  expect(Object.keys(images).sort()).toEqual(['0', '2']);
  for (const rel of Object.values(images)) {
    expect(readPng(path.join(wandbDir, runDir, 'files', rel))).toMatchObject({ width: 224, height: 224 });
  }
});
