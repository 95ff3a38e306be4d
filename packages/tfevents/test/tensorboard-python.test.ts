import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImagePixels, SessionEndStatus, SummaryWriter, equalWidthBuckets, exponentialHistogram, histogramProtoBuckets } from '../src/index.js';
import { tempDir } from './helpers/temp-dir.js';

/**
 * Reads what we write with TensorBoard's own Python loader (the `tensorboard` pip package). CI
 * has no Python packages, so this runs only where `import tensorboard` works; see the README for
 * the local run and for the check with the Rust loader of `tensorboard --load_fast=true`.
 */
const hasTensorboard = spawnSync('python3', ['-c', 'import tensorboard'], { stdio: 'ignore' }).status === 0;
const SCRIPT = path.join(import.meta.dirname, 'python', 'read_with_tensorboard.py');

function loadWithTensorboard(...runs: string[]): Record<string, any> {
  const r = spawnSync('python3', [SCRIPT, ...runs], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const sha256 = (b: Uint8Array | Uint8ClampedArray) => createHash('sha256').update(b).digest('hex');
const MODE = { 1: 'L', 2: 'LA', 3: 'RGB', 4: 'RGBA' } as const;

function image(channels: 1 | 2 | 3 | 4, width: number, height: number): ImagePixels {
  return { data: new Uint8Array(width * height * channels).map((_, i) => (i * 7 + channels) & 0xff), width, height, channels };
}

describe.skipIf(!hasTensorboard)('TensorBoard (Python loader) reads every tag and value', () => {
  it('scalars in both forms, images, histograms, text and hparams', async () => {
    const root = tempDir();
    const runA = path.join(root, 'a');
    const runB = path.join(root, 'b');
    const a = new SummaryWriter(runA);
    const b = new SummaryWriter(runB, { scalarForm: 'tensor' });
    const losses = Array.from({ length: 50 }, (_, i) => 1 / (i + 1));
    for (let s = 0; s < 50; s++) {
      a.addScalars({ loss: losses[s], 'train/lr': 0.1 * 0.9 ** s }, s);
      b.addScalar('loss', losses[s], s);
    }
    const images = [image(1, 3, 2), image(2, 17, 9), image(3, 64, 64), image(4, 250, 120)];
    for (const [i, img] of images.entries()) a.addImage(`img/c${img.channels}`, img, i);
    const values = Array.from({ length: 500 }, (_, i) => Math.cos(i) * (i % 13) - 2);
    a.addHistogram('w/equal', values, 3);
    a.addHistogram('w/exp', values, 3, { buckets: 'exponential' });
    a.addText('notes', 'step **0** ✓', 0);
    a.addText('table', [
      ['k', 'v'],
      ['lr', '0.1'],
    ]);
    const hparams = { lr: 0.1, optimizer: 'SGD', nesterov: true, none: null };
    a.addHparams(hparams, { 'val/acc': 0.875 }, { experiment: true });
    await Promise.all([a.close(), b.close()]);

    const tb = loadWithTensorboard(runA, runB);
    const A = tb[runA];
    const B = tb[runB];
    expect(A.file_version).toBe(2);
    const f32 = (v: number) => Math.fround(v);
    expect(A.scalars.loss).toEqual(losses.map((v, s) => [s, f32(v)]));
    expect(A.legacy_scalars.loss).toEqual(losses.map((v, s) => [s, f32(v)]));
    expect(A.scalars['train/lr']).toHaveLength(50);
    expect(A.scalars['val/acc']).toEqual([[49, f32(0.875)]]);
    expect(B.scalars.loss).toEqual(losses.map((v, s) => [s, f32(v)]));
    expect(B.plugins.loss).toBe('scalars');

    for (const [i, img] of images.entries()) {
      expect(A.plugins[`img/c${img.channels}`]).toBe('images');
      const [[step, w, h, pngs]] = A.images[`img/c${img.channels}`];
      expect([step, w, h]).toEqual([i, img.width, img.height]);
      if (pngs[0]) expect(pngs[0]).toEqual({ mode: MODE[img.channels], size: [img.width, img.height], sha256: sha256(img.data) });
    }

    expect(A.histograms['w/equal']).toEqual([[3, equalWidthBuckets(values)]]);
    // TensorBoard converts a HistogramProto to its [k, 3] form in float32
    const legacy = histogramProtoBuckets(exponentialHistogram(values)).map((row) => row.map(f32));
    expect(A.histograms['w/exp']).toEqual([[3, legacy]]);

    expect(A.text.notes).toEqual([[0, [], ['step **0** ✓']]]);
    expect(A.text.table).toEqual([[0, [2, 2], ['k', 'v', 'lr', '0.1']]]);

    expect(A.hparams.session_start_info.hparams).toEqual(hparams);
    expect(A.hparams.session_end_info.status).toBe(SessionEndStatus.SUCCESS);
    expect(A.hparams.experiment).toEqual({ hparams: ['lr', 'nesterov', 'none', 'optimizer'], metrics: ['val/acc'] });
  });

  it('purges what an interrupted run logged past the checkpoint when the resumed run says so', async () => {
    const run = tempDir();
    const first = new SummaryWriter(run);
    for (let s = 10; s <= 150; s += 10) first.addScalars({ loss: s, other: s }, s);
    await first.close();
    const firstSecond = Number(path.basename(first.path).split('.')[3]);
    while (Math.floor(Date.now() / 1000) <= firstSecond) await new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));
    const second = new SummaryWriter(run);
    second.purgeFrom(101);
    for (let s = 110; s <= 200; s += 10) second.addScalar('loss', -s, s);
    await second.close();
    const tb = loadWithTensorboard(run)[run];
    const expected = [];
    for (let s = 10; s <= 200; s += 10) expected.push([s, s <= 100 ? s : -s]);
    expect(tb.scalars.loss).toEqual(expected);
    expect(tb.scalars.other.map((p: number[]) => p[0])).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });
});
