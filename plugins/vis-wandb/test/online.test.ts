import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Visualizer } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import { WandbVisBackend } from '../src/index.js';
import { API_KEY, tempDir } from './support/env.js';
import { parseLenientJson } from './support/lenient-json.js';
import { useStandin } from './support/standin-suite.js';

const standin = useStandin();

const rows = (lines: string[] | undefined) => (lines ?? []).map((l) => parseLenientJson(l) as Record<string, unknown>);

describe('online run against the stand-in server', () => {
  it('sends config, every row in order, the summary, an image, console lines and the exit code', async () => {
    const dir = tempDir();
    const vis = new Visualizer({
      vis_backends: [
        { type: 'WandbVisBackend', init_kwargs: { project: 'proj', name: 'first run', tags: ['a', 'b'], notes: 'n', group: 'g', job_type: 'train' } },
      ],
      save_dir: dir,
    });
    await vis.start();
    const backend = vis.getBackend<WandbVisBackend>('WandbVisBackend') as WandbVisBackend;
    vis.addConfig({ lr: 0.1, model: { type: 'ToyModel', depth: 3 } }, '');
    for (let i = 0; i < 25; i++) vis.addScalars({ loss: 1 / (i + 1), lr: 0.1, iter: i + 1 }, i + 1);
    vis.addScalars({ loss: Number.NaN, acc: Number.POSITIVE_INFINITY }, 26);
    const image = { data: new Uint8Array(4 * 5 * 3).fill(200), width: 4, height: 5, channels: 3 as const };
    vis.addImage('pred', image, 26);
    vis.addLogLine('Epoch(train) [1][5/5]  loss: 0.5');
    vis.addLogLine('second line');
    backend.setExitCode(3);
    await vis.close();

    const state = await standin.state();
    expect(state.violations).toEqual([]);
    const run = state.runs[`alice/proj/${backend.runId}`];
    expect(run).toBeDefined();
    expect(run.displayName).toBe('first run');
    expect(run.tags).toEqual(['a', 'b']);
    expect(run.notes).toBe('n');
    expect(run.groupName).toBe('g');
    expect(run.jobType).toBe('train');
    expect(run.config?.lr).toEqual({ value: 0.1 });
    expect(run.config?.model).toEqual({ value: { type: 'ToyModel', depth: 3 } });
    expect(((run.config as Record<string, unknown>)._wandb as { value: { t: unknown } }).value.t).toEqual({});

    const history = rows(run.files['wandb-history.jsonl']);
    expect(history.map((r) => r._step)).toEqual([...Array(27).keys()]);
    expect(history.slice(0, 25).map((r) => r.loss)).toEqual([...Array(25).keys()].map((i) => 1 / (i + 1)));
    expect(history[25].loss).toBeNaN();
    expect(history[25].acc).toBe(Number.POSITIVE_INFINITY);
    for (let i = 1; i < history.length; i++) {
      expect(history[i]._runtime as number).toBeGreaterThanOrEqual(history[i - 1]._runtime as number);
      expect(history[i]._timestamp as number).toBeGreaterThanOrEqual(history[i - 1]._timestamp as number);
    }
    expect(Math.abs((history[0]._timestamp as number) - Date.now() / 1000)).toBeLessThan(60);

    const img = history[26].pred as Record<string, unknown>;
    expect(img).toMatchObject({ _type: 'image-file', format: 'png', width: 4, height: 5 });
    const upload = state.uploads.find((u) => u.name === img.path);
    expect(upload?.sha256).toBe(img.sha256);
    expect(upload?.size).toBe(img.size);
    const local = fs.readFileSync(path.join(backend.paths?.filesDir as string, img.path as string));
    expect(crypto.createHash('sha256').update(local).digest('hex')).toBe(img.sha256);
    expect(run.uploaded).toEqual(expect.arrayContaining([img.path, 'wandb-summary.json', 'config.yaml', 'output.log']));

    const summary = parseLenientJson(run.files['wandb-summary.json'][0]) as Record<string, unknown>;
    expect(summary.lr).toBe(0.1);
    expect(summary.iter).toBe(25);
    expect(summary.loss).toBeNaN();
    expect(summary._step).toBe(26);
    expect((summary.pred as { path: string }).path).toBe(img.path);
    expect(summary._wandb).toEqual({ runtime: expect.any(Number) });

    expect(run.files['output.log']).toHaveLength(2);
    expect(run.files['output.log'][0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6} Epoch\(train\) \[1\]\[5\/5\] {2}loss: 0\.5$/);
    expect(run.completes).toBe(1);
    expect(run.exitcode).toBe(3);

    // credentials go to the API host only, never to upload URLs
    for (const r of state.requests) {
      if (r.path.startsWith('/__upload/')) expect(r.auth).toBe('none');
      else expect(r.auth).toBe('ok');
    }
    expect(backend.lastReport?.complete).toBe(true);
  });

  it('gzips file_stream bodies when the server offers FILESTREAM_GZIP, and commit=false joins values into one row', async () => {
    await standin.reset({ apiKey: API_KEY, entity: 'alice', features: ['FILESTREAM_GZIP'] });
    const backend = new WandbVisBackend({ save_dir: tempDir(), commit: false, init_kwargs: { project: 'p2', id: 'fixedid1' } });
    await backend.start();
    backend.addScalars({ a: 1 });
    backend.addScalars({ b: 2 });
    backend.addScalars({ a: 3 });
    await backend.close();
    const state = await standin.state();
    expect(state.violations).toEqual([]);
    const run = state.runs['alice/p2/fixedid1'];
    expect(rows(run.files['wandb-history.jsonl'])).toEqual([{ a: 3, b: 2, _step: 0, _runtime: expect.any(Number), _timestamp: expect.any(Number) }]);
    expect(run.gzipPosts).toBe(run.fileStreamPosts);
    expect(run.gzipPosts).toBeGreaterThan(0);
    expect(run.exitcode).toBe(0);
  });

  it('define_metric_cfg: summaries as asked, the step metric filled in, `_wandb.m` in the config', async () => {
    const backend = new WandbVisBackend({
      save_dir: tempDir(),
      init_kwargs: { project: 'dm' },
      define_metric_cfg: [
        { name: 'val/acc', step_metric: 'epoch', summary: 'max' },
        { name: 'loss', summary: 'min,mean' },
        { name: 'time', summary: 'none' },
      ],
    });
    await backend.start();
    backend.addScalars({ epoch: 1, loss: 3, time: 0.1 });
    backend.addScalars({ 'val/acc': 0.5 });
    backend.addScalars({ epoch: 2, loss: 1, time: 0.2 });
    backend.addScalars({ 'val/acc': 0.4 });
    await backend.close();
    const state = await standin.state();
    expect(state.violations).toEqual([]);
    const run = state.runs[`alice/dm/${backend.runId}`];
    const history = rows(run.files['wandb-history.jsonl']);
    expect(history[1]).toMatchObject({ 'val/acc': 0.5, epoch: 1 });
    expect(history[3]).toMatchObject({ 'val/acc': 0.4, epoch: 2 });
    const summary = parseLenientJson(run.files['wandb-summary.json'][0]) as Record<string, unknown>;
    expect(summary['val/acc']).toEqual({ max: 0.5 });
    expect(summary.loss).toEqual({ min: 1, mean: 2 });
    expect(summary).not.toHaveProperty('time');
    expect(summary.epoch).toBe(2);
    const m = ((run.config as Record<string, unknown>)._wandb as { value: { m: Array<Record<string, unknown>> } }).value.m;
    const acc = m.find((e) => e['1'] === 'val/acc') as Record<string, unknown>;
    const epoch = m.findIndex((e) => e['1'] === 'epoch');
    expect(acc).toEqual({ '1': 'val/acc', '5': epoch + 1, '6': [1, 3], '7': [2] });
    expect(m.find((e) => e['1'] === 'time')).toEqual({ '1': 'time', '6': [3], '7': [6] });
  });
  it('histograms: wandb.Histogram JSON (64 numpy bins) joining the next row, accepted by the server', async () => {
    await standin.reset({ apiKey: API_KEY, entity: 'alice' });
    const backend = new WandbVisBackend({ save_dir: tempDir(), init_kwargs: { project: 'hist', id: 'histrun1' } });
    await backend.start();
    const weights = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 2);
    backend.addHistogram('parameters/dense.kernel', weights);
    backend.addHistogram('gradients/dense.kernel', [0.5, 0.5, 0.5, Number.NaN]);
    backend.addScalars({ loss: 1 });
    backend.addScalars({ loss: 0.5 });
    await backend.close();
    const state = await standin.state();
    expect(state.violations).toEqual([]);
    const history = rows(state.runs['alice/hist/histrun1'].files['wandb-history.jsonl']);
    expect(history).toHaveLength(2);
    const h = history[0]['parameters/dense.kernel'] as { _type: string; values: number[]; bins: number[] };
    expect(h._type).toBe('histogram');
    expect(h.values).toHaveLength(64);
    expect(h.bins).toHaveLength(65);
    expect(h.values.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.bins[0]).toBeCloseTo(Math.min(...weights), 6);
    expect(h.bins[64]).toBeCloseTo(Math.max(...weights), 6);
    // all-equal values spread over v +- 0.5, as numpy does; NaN has no bin
    const g = history[0]['gradients/dense.kernel'] as { values: number[]; bins: number[] };
    expect(g.bins[0]).toBe(0);
    expect(g.bins[64]).toBe(1);
    expect(g.values[32]).toBe(3);
    expect(history[0].loss).toBe(1);
    expect(history[1]['parameters/dense.kernel']).toBeUndefined();
  });
});
