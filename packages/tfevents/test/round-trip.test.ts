import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EventFileReader,
  SessionEndStatus,
  SummaryWriter,
  decodeHParamsPluginData,
  equalWidthBuckets,
  exponentialHistogram,
  histogramProtoBuckets,
  interpretValue,
  readRun,
} from '../src/index.js';
import { decodePng } from './helpers/png-decode.js';
import { tempDir } from './helpers/temp-dir.js';

describe('writer -> reader round trip', () => {
  it('starts every file with the version record and names it as TensorBoard expects', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    await w.close();
    const name = w.path.slice(dir.length + 1);
    expect(name).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.[^/]+\\.${process.pid}\\.\\d+$`));
    const events = [];
    for await (const e of new EventFileReader(w.path)) events.push(e);
    expect(events).toHaveLength(1);
    expect(events[0].fileVersion).toBe('brain.Event:2');
    expect(Math.abs(events[0].wallTime - Date.now() / 1000)).toBeLessThan(60);
  });

  it('scalars in both forms, one by one and several per event', async () => {
    for (const scalarForm of ['simple_value', 'tensor'] as const) {
      const dir = tempDir();
      const w = new SummaryWriter(dir, { scalarForm });
      w.addScalar('loss', 0.5, 0);
      w.addScalar('loss', 0.25, 1);
      w.addScalars({ lr: 0.1, 'val/acc': 0.75, 'ünï/côdé': -3 }, 2);
      w.addScalar('loss', Number.NaN, 3);
      w.addScalar('big', 1e30, 2 ** 40);
      await w.close();
      const run = await readRun(dir);
      expect(run.scalars.get('loss')?.map((p) => [p.step, p.value])).toEqual([
        [0, 0.5],
        [1, 0.25],
        [3, Number.NaN],
      ]);
      expect(run.scalars.get('lr')?.[0].value).toBe(Math.fround(0.1));
      expect(run.scalars.get('val/acc')?.[0]).toMatchObject({ step: 2, value: 0.75 });
      expect(run.scalars.get('ünï/côdé')?.[0].value).toBe(-3);
      expect(run.scalars.get('big')?.[0]).toMatchObject({ step: 2 ** 40, value: Math.fround(1e30) });
      if (scalarForm === 'tensor') expect(run.metadata.get('loss')?.pluginData?.pluginName).toBe('scalars');
    }
  });

  it('images of any size in gray, gray+alpha, RGB and RGBA', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    const images = ([1, 2, 3, 4] as const).map((channels, i) => {
      const width = [1, 7, 64, 333][i];
      const height = [1, 5, 48, 211][i];
      const data = new Uint8Array(width * height * channels).map((_, j) => (j * 31 + i) & 0xff);
      return { data, width, height, channels };
    });
    for (const [i, img] of images.entries()) w.addImage(`img/${img.channels}`, img, i);
    await w.close();
    const run = await readRun(dir);
    images.forEach((img, i) => {
      const points = run.images.get(`img/${img.channels}`)!;
      expect(points).toHaveLength(1);
      expect(points[0].step).toBe(i);
      expect(points[0].value).toMatchObject({ width: img.width, height: img.height });
      const png = decodePng(points[0].value.images[0]);
      expect([png.width, png.height, png.channels]).toEqual([img.width, img.height, img.channels]);
      expect(Buffer.compare(png.data, img.data)).toBe(0);
    });
  });

  it('rejects pixel buffers that do not match their size', () => {
    const w = new SummaryWriter(tempDir(), { flushOnExit: false });
    expect(() => w.addImage('bad', { data: new Uint8Array(5), width: 2, height: 2, channels: 1 }, 0)).toThrow(/2x2x1/);
    return w.close();
  });

  it("histograms in TensorBoard's equal-width scheme and TensorFlow's exponential one", async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3 + (i % 7));
    w.addHistogram('weights', values, 5);
    w.addHistogram('weights10', new Float32Array(values), 5, { buckets: 10 });
    w.addHistogram('same', [2, 2, 2], 5);
    w.addHistogram('empty', [], 5);
    w.addHistogram('legacy', values, 5, { buckets: 'exponential' });
    await w.close();
    const run = await readRun(dir);
    const h = run.histograms.get('weights')![0].value;
    expect(h).toEqual(equalWidthBuckets(values));
    expect(h).toHaveLength(30);
    expect(h.reduce((n, b) => n + b[2], 0)).toBe(1000);
    expect(h[0][0]).toBe(Math.min(...values));
    expect(h[29][1]).toBe(Math.max(...values));
    expect(run.histograms.get('weights10')![0].value).toHaveLength(10);
    const same = run.histograms.get('same')![0].value;
    expect(same.slice(-1)).toEqual([[2, 2, 3]]);
    expect(same.slice(0, -1).every((b) => b[0] === 2 && b[1] === 2 && b[2] === 0)).toBe(true);
    expect(run.histograms.get('empty')![0].value).toEqual(Array.from({ length: 30 }, () => [0, 0, 0]));
    const legacy = run.histograms.get('legacy')![0].value;
    expect(legacy).toEqual(histogramProtoBuckets(exponentialHistogram(values)));
    expect(legacy.reduce((n, b) => n + b[2], 0)).toBe(1000);
    // no empty buckets at either end, and edges that never run backwards
    expect(legacy[0][2]).toBeGreaterThan(0);
    expect(legacy[legacy.length - 1][2]).toBeGreaterThan(0);
    for (const [l, r] of legacy) expect(l).toBeLessThanOrEqual(r);
  });

  it('text: a string, a list and a table', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    w.addText('notes', 'step **0** ✓', 0);
    w.addText('list', ['a', 'b'], 1);
    w.addText('table', [
      ['k', 'v'],
      ['lr', '0.1'],
    ]);
    await w.close();
    const run = await readRun(dir);
    expect(run.text.get('notes')![0].value).toEqual({ shape: [], text: ['step **0** ✓'] });
    expect(run.text.get('list')![0].value).toEqual({ shape: [2], text: ['a', 'b'] });
    expect(run.text.get('table')![0].value).toEqual({ shape: [2, 2], text: ['k', 'v', 'lr', '0.1'] });
    expect(run.metadata.get('notes')?.pluginData?.pluginName).toBe('text');
  });

  it('hparams: session start, metrics, session end and the optional experiment', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    w.addScalar('val/acc', 0.5, 10);
    w.addScalar('loss', 0.3, 20);
    const hparams = { lr: 0.1, optimizer: 'SGD', nesterov: false, milestones: [3, 6], none: null };
    w.addHparams(hparams, { 'val/acc': 0.5, 'test/acc': 0.7 }, { experiment: true });
    await w.close();
    const run = await readRun(dir);
    expect(run.hparams.sessionStartInfo?.hparams).toEqual(hparams);
    expect(run.hparams.sessionStartInfo?.groupName).toMatch(/^[0-9a-f]{64}$/);
    expect(run.hparams.sessionEndInfo?.status).toBe(SessionEndStatus.SUCCESS);
    expect(run.hparams.experiment?.hparamInfos.map((h) => h.name)).toEqual(['lr', 'milestones', 'nesterov', 'none', 'optimizer']);
    expect(run.hparams.experiment?.metricInfos.map((m) => m.name.tag)).toEqual(['val/acc', 'test/acc']);
    // a metric already logged with that value is not logged again; a new one goes at the last step
    expect(run.scalars.get('val/acc')).toHaveLength(1);
    expect(run.scalars.get('test/acc')?.map((p) => [p.step, p.value])).toEqual([[20, Math.fround(0.7)]]);
  });

  it('decodes the hparams records TensorBoard looks for, with their null tensor', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    w.addHparams({ a: 1 }, {}, { status: null });
    await w.close();
    const values = [];
    for await (const e of new EventFileReader(w.path)) if (e.summary) values.push(...e.summary.value);
    expect(values.map((v) => v.tag)).toEqual(['_hparams_/session_start_info']);
    expect(values[0].tensor).toEqual({ dtype: 1, shape: [0] });
    expect(values[0].metadata?.pluginData?.pluginName).toBe('hparams');
    expect(decodeHParamsPluginData(values[0].metadata!.pluginData!.content!).sessionStartInfo?.hparams).toEqual({ a: 1 });
    expect(interpretValue(values[0]).kind).toBe('hparams');
  });

  it('appends to the file only: sizes add up to the records written', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir, { bufferBytes: 4096 });
    for (let i = 0; i < 5000; i++) w.addScalar('x', i, i);
    w.addImage('big', { data: new Uint8Array(300 * 300 * 3).map(() => (Math.random() * 256) | 0), width: 300, height: 300, channels: 3 }, 1);
    await w.flush();
    expect(fs.statSync(w.path).size).toBe(w.stats.bytes);
    expect(w.stats.queuedBytes).toBe(0);
    await w.close();
    const run = await readRun(w.path);
    expect(run.scalars.get('x')).toHaveLength(5000);
    expect(run.images.get('big')).toHaveLength(1);
  });
});
