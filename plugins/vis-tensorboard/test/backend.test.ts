import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, VISBACKENDS, type VisBackendConfig, Visualizer, getLogger } from '@trainkit/core';
import { SessionEndStatus, decodeEventFile, readRun } from '@trainkit/tfevents';
import { describe, expect, it, vi } from 'vitest';
import { TensorboardVisBackend, flattenHparams } from '../src/index.js';
import { eventFiles, tempDir } from './helpers.js';

function visualizer(runDir: string, cfg: Record<string, unknown> = {}): { vis: Visualizer; backend: TensorboardVisBackend; dir: string } {
  const vis = new Visualizer({ save_dir: runDir, vis_backends: [{ type: 'TensorboardVisBackend', ...cfg }] });
  const backend = vis.getBackend<TensorboardVisBackend>('TensorboardVisBackend')!;
  return { vis, backend, dir: path.join(runDir, 'vis_data') };
}

describe('TensorboardVisBackend', () => {
  it('is registered in VISBACKENDS with its options, and its save_dir defaults to <run>/vis_data', () => {
    expect(VISBACKENDS.has('TensorboardVisBackend')).toBe(true);
    const run = tempDir();
    const { backend } = visualizer(run);
    expect(backend).toBeInstanceOf(TensorboardVisBackend);
    expect(backend.saveDir).toBe(path.join(run, 'vis_data'));
    // nothing logged, nothing created: the writer starts on first use
    expect(eventFiles(backend.saveDir)).toEqual([]);
  });

  it('rejects unknown options with a hint, and a missing save_dir', () => {
    expect(() => visualizer(tempDir(), { flush_sec: 5 })).toThrow(/unknown option "flush_sec".*Did you mean "flush_secs"/s);
    expect(() => new TensorboardVisBackend({})).toThrow(ConfigError);
  });

  it('type-checks its options in TS configs', () => {
    const ok: VisBackendConfig = { type: 'TensorboardVisBackend', save_dir: 'tb', flush_secs: 5, scalar_form: 'tensor' };
    // @ts-expect-error a misspelt option is a type error in a TS config
    const bad: VisBackendConfig = { type: 'TensorboardVisBackend', flush_sec: 5 };
    expect([ok, bad]).toHaveLength(2);
  });

  it('writes scalars, images, text and the config, read back as written', async () => {
    const run = tempDir();
    const { vis, dir } = visualizer(run);
    const config = { model: { type: 'ToyModel' }, optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 } }, train_cfg: { max_epochs: 2 } };
    vis.addConfig(config, "model = dict(type='ToyModel')\noptim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1))");
    for (let step = 1; step <= 5; step++) vis.addScalars({ loss: 1 / step, lr: 0.1 }, step, 'ignored.json');
    vis.addScalar('val/acc', 0.9, 5);
    const data = new Uint8Array(8 * 6 * 3).map((_, i) => i & 0xff);
    vis.addImage('pred', { data, width: 8, height: 6, channels: 3 }, 5);
    vis.addText('notes', 'done', 5);
    await vis.close();

    expect(eventFiles(dir)).toHaveLength(1);
    const tb = await readRun(dir);
    expect(tb.scalars.get('loss')?.map((p) => [p.step, p.value])).toEqual([1, 2, 3, 4, 5].map((s) => [s, Math.fround(1 / s)]));
    expect(tb.scalars.get('lr')).toHaveLength(5);
    expect(tb.scalars.get('val/acc')?.map((p) => p.step)).toEqual([5]);
    expect(tb.images.get('pred')?.[0].value).toMatchObject({ width: 8, height: 6 });
    expect(tb.text.get('notes')?.[0].value.text).toEqual(['done']);
    // the config dump, verbatim, as a Markdown code block
    const configText = tb.text.get('config')?.[0].value.text[0];
    expect(configText).toBe("    model = dict(type='ToyModel')\n    optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1))");
  });

  it('writes histograms as HistogramProto summaries (TensorFlow buckets, as PyTorch), read back by the reader', async () => {
    const run = tempDir();
    const { vis, dir } = visualizer(run, { add_hparams: false });
    const weights = Float32Array.from({ length: 500 }, (_, i) => Math.cos(i) * 0.1);
    vis.addHistogram('parameters/dense.kernel', weights, 3);
    vis.addHistogram(
      'parameters/dense.kernel',
      weights.map((w) => w * 2),
      6,
    );
    await vis.close();
    const [file] = eventFiles(dir);
    const { events } = decodeEventFile(fs.readFileSync(path.join(dir, file)));
    const histos = events.flatMap((e) => e.summary?.value ?? []).filter((v) => v.histo);
    expect(histos).toHaveLength(2);
    const h = histos[0].histo!;
    expect(h.num).toBe(500);
    expect(h.min).toBeCloseTo(Math.min(...weights), 6);
    expect(h.max).toBeCloseTo(Math.max(...weights), 6);
    expect(h.sum).toBeCloseTo(
      weights.reduce((a, b) => a + b, 0),
      4,
    );
    expect(h.bucket.reduce((a, b) => a + b, 0)).toBe(500);
    expect(h.bucketLimit).toHaveLength(h.bucket.length);
    const tb = await readRun(dir);
    const points = tb.histograms.get('parameters/dense.kernel')!;
    expect(points.map((p) => p.step)).toEqual([3, 6]);
    for (const p of points) expect(p.value.reduce((a, [, , count]) => a + count, 0)).toBe(500);
    expect(points[1].value[0][0]).toBeCloseTo(2 * Math.min(...weights), 5);
  });

  it('writes hparams at the end of the run: the flattened config, the last metrics, status SUCCESS', async () => {
    const run = tempDir();
    const { vis, dir } = visualizer(run);
    vis.addConfig({ optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 } }, param_scheduler: [{ type: 'MultiStepLR', milestones: [3, 6] }] }, '');
    vis.addScalars({ 'val/acc': 0.5 }, 1);
    vis.addScalars({ 'val/acc': 0.75 }, 2);
    await vis.close();
    const tb = await readRun(dir);
    expect(tb.hparams.sessionStartInfo?.hparams).toEqual({
      'optim_wrapper.optimizer.type': 'SGD',
      'optim_wrapper.optimizer.lr': 0.1,
      'param_scheduler.0.type': 'MultiStepLR',
      'param_scheduler.0.milestones': '[3,6]',
    });
    expect(tb.hparams.sessionEndInfo?.status).toBe(SessionEndStatus.SUCCESS);
    // TensorBoard takes the last value of each scalar tag as the session's metric
    expect(tb.scalars.get('val/acc')?.at(-1)).toMatchObject({ step: 2, value: 0.75 });
  });

  it('marks a run that failed or was stopped as FAILURE in the HParams tab', async () => {
    const { vis, dir } = visualizer(tempDir());
    vis.addConfig({ lr: 0.1 }, '');
    vis.addScalars({ loss: 1 }, 1);
    await vis.close({ exitCode: 143 });
    expect((await readRun(dir)).hparams.sessionEndInfo?.status).toBe(SessionEndStatus.FAILURE);
  });

  it('takes explicit hparams and metrics once; a second close writes nothing more', async () => {
    const run = tempDir();
    const { vis, backend, dir } = visualizer(run, { add_hparams: true });
    vis.addConfig({ a: 1 }, '');
    vis.addScalars({ loss: 0.5 }, 3);
    vis.addHparams({ lr: 0.01, nested: { depth: 2 } }, { 'test/acc': 0.8 });
    await vis.close();
    await backend.close();
    const tb = await readRun(dir);
    expect(tb.hparams.sessionStartInfo?.hparams).toEqual({ lr: 0.01, 'nested.depth': 2 });
    expect(tb.scalars.get('test/acc')?.map((p) => [p.step, p.value])).toEqual([[3, Math.fround(0.8)]]);
    expect(eventFiles(dir)).toHaveLength(1);
  });

  it('rejects a step key in add_scalars as MMEngine does, and skips values that are not numbers', async () => {
    const run = tempDir();
    const { backend, dir } = visualizer(run);
    expect(() => backend.addScalars({ loss: 1, step: 3 }, 3)).toThrow(/"step" key/);
    backend.addScalars({ loss: 1, name: 'x' as unknown as number }, 4);
    backend.addScalar('bad', 'x' as unknown as number, 4);
    await backend.close();
    const tb = await readRun(dir);
    expect([...tb.scalars.keys()]).toEqual(['loss']);
    expect(tb.scalars.get('loss')?.map((p) => p.step)).toEqual([4]);
  });

  it('skips a value whose step goes back for its tag (TensorBoard would drop the later points), said once', async () => {
    const run = tempDir();
    const { backend, dir } = visualizer(run);
    const warnings: string[] = [];
    const logger = getLogger();
    const warn = vi.spyOn(logger, 'info').mockImplementation((m: string) => void warnings.push(m));
    try {
      for (const step of [1, 2, 3]) backend.addScalars({ time: step, loss: step }, step);
      backend.addScalars({ time: 99 }, 1); // e.g. validation at epoch 1 after iteration 3
      backend.addScalars({ time: 98 }, 2);
      backend.addScalars({ time: 4, loss: 4 }, 3); // the same step again is allowed: it replaces
    } finally {
      warn.mockRestore();
    }
    await backend.close();
    const tb = await readRun(dir);
    expect(tb.scalars.get('time')?.map((p) => [p.step, p.value])).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
    ]);
    expect(warnings).toEqual([expect.stringMatching(/"time" logged at step 1 after step 3/)]);
  });

  it('never waits for the disk: calls return at once, the file is written in the background', async () => {
    const run = tempDir();
    const { backend, dir } = visualizer(run);
    backend.addScalars({ loss: 1 }, 1);
    const file = path.join(dir, eventFiles(dir)[0]);
    const before = fs.statSync(file).size;
    for (let i = 2; i < 1000; i++) expect(backend.addScalars({ loss: 1 / i, lr: 0.1 }, i)).toBeUndefined();
    // only the version record is on disk yet; the rest waits in memory for a flush
    expect(fs.statSync(file).size).toBe(before);
    await backend.flush();
    expect(fs.statSync(file).size).toBeGreaterThan(before + 999 * 30);
    await backend.close();
  });

  it('after close, logging again starts a new event file (a test run after training)', async () => {
    const run = tempDir();
    const { backend, dir } = visualizer(run);
    backend.addScalars({ loss: 1 }, 1);
    await backend.close();
    await new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));
    backend.addScalars({ 'test/acc': 0.5 }, 0);
    await backend.close();
    expect(eventFiles(dir)).toHaveLength(2);
    const tb = await readRun(dir);
    expect([...tb.scalars.keys()].sort()).toEqual(['loss', 'test/acc']);
  });

  it('flattens configs into dotted hparams', () => {
    class Net {}
    expect(flattenHparams({ model: { type: Net, layers: [{ type: 'Dense', units: 4 }] }, milestones: [1, 2], seed: null, skip: undefined })).toEqual({
      'model.type': 'Net',
      'model.layers.0.type': 'Dense',
      'model.layers.0.units': 4,
      milestones: '[1,2]',
      seed: null,
    });
  });
});
