import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Visualizer } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import { WandbVisBackend } from '../src/index.js';
import { API_KEY, tempDir } from './support/env.js';
import { parseLenientJson } from './support/lenient-json.js';
import { type Message, decodeMessage, int, item, readSpecLog, recordKind, str, strs, sub, subs } from './support/spec-reader.js';
import { useStandin } from './support/standin-suite.js';

// a reachable server and a key: offline and disabled runs must still not talk to it
const standin = useStandin({ setup: { apiKey: API_KEY } });

const image = { data: new Uint8Array(3 * 3 * 4).map((_, i) => i * 7), width: 3, height: 3, channels: 4 as const };

async function offlineRun(saveDir: string, opts: Record<string, unknown>): Promise<WandbVisBackend> {
  const vis = new Visualizer({ vis_backends: [{ type: 'WandbVisBackend', ...opts }], save_dir: saveDir });
  const backend = vis.getBackend<WandbVisBackend>('WandbVisBackend') as WandbVisBackend;
  vis.addConfig({ lr: 0.01, layers: [64, 32], opt: { name: 'adam', beta: 0.9 } }, '');
  for (let i = 0; i < 40; i++) vis.addScalars({ loss: 2 / (i + 1), 'val/acc': i / 40, epoch: Math.floor(i / 10) }, i);
  vis.addImage('sample', image, 40);
  // a row larger than a 32 KiB block: split into FIRST / MIDDLE / LAST chunks
  vis.addText('big', 'x'.repeat(80_000), 41);
  vis.addLogLine('first console line');
  vis.addLogLine('second console line');
  await vis.close();
  return backend;
}

describe('offline mode', () => {
  it("writes W&B's offline layout, and every record decodes with a reader written from the spec", async () => {
    const saveDir = tempDir();
    const backend = await offlineRun(saveDir, {
      init_kwargs: { mode: 'offline', project: 'offp', entity: 'ent', name: 'disp', tags: ['t1'], config: { seed: 7 } },
      define_metric_cfg: { 'val/acc': 'max' },
    });
    const dir = backend.paths?.dir as string;
    expect(path.dirname(dir)).toBe(path.join(saveDir, 'vis_data', 'wandb'));
    expect(path.basename(dir)).toMatch(new RegExp(`^offline-run-\\d{8}_\\d{6}-${backend.runId}$`));
    expect(backend.runId).toMatch(/^[a-z0-9]{8}$/);
    const logFile = path.join(dir, `run-${backend.runId}.wandb`);
    expect(fs.readlinkSync(path.join(saveDir, 'vis_data', 'wandb', 'latest-run'))).toBe(path.basename(dir));

    const log = readSpecLog(logFile);
    expect(log.problems).toEqual([]);
    expect(log.chunks.some((c) => c.type === 2) && log.chunks.some((c) => c.type === 3) && log.chunks.some((c) => c.type === 4)).toBe(true);
    const records = log.records.map(decodeMessage);
    // record numbers count up from 1
    expect(records.map((r) => int(r, 1))).toEqual(records.map((_, i) => i + 1));
    const kinds = records.map(recordKind);
    expect(kinds[0]).toBe('run');
    expect(kinds.at(-1)).toBe('exit');

    const run = sub(records[0], 17) as Message;
    expect(str(run, 1)).toBe(backend.runId);
    expect(str(run, 2)).toBe('ent');
    expect(str(run, 3)).toBe('offp');
    expect(str(run, 8)).toBe('disp');
    expect(strs(run, 10)).toEqual(['t1']);
    expect(subs(sub(run, 4) as Message, 1).map(item)).toEqual([{ key: 'seed', value: '7' }]);
    expect(Math.abs(int(sub(run, 17) as Message, 1) - Date.now() / 1000)).toBeLessThan(60);

    const metric = sub(records[kinds.indexOf('metric')], 12) as Message;
    expect(str(metric, 1)).toBe('val/acc');
    expect(int(sub(metric, 7) as Message, 2)).toBe(1);

    const config = records.filter((_, i) => kinds[i] === 'config').flatMap((r) => subs(sub(r, 5) as Message, 1).map(item));
    expect(Object.fromEntries(config.map((c) => [c.key, JSON.parse(c.value)]))).toMatchObject({ lr: 0.01, layers: [64, 32], opt: { name: 'adam', beta: 0.9 } });

    // every history record is followed by its summary record, and _step = step.num
    const history = records.filter((_, i) => kinds[i] === 'history').map((r) => sub(r, 2) as Message);
    expect(history).toHaveLength(42);
    history.forEach((h, n) => {
      const items = Object.fromEntries(
        subs(h, 1)
          .map(item)
          .map((it) => [it.key, parseLenientJson(it.value)]),
      );
      expect(items._step).toBe(n);
      expect(int(sub(h, 2) as Message, 1)).toBe(n);
      expect(typeof items._runtime).toBe('number');
      expect(typeof items._timestamp).toBe('number');
      if (n < 40) expect(items.loss).toBe(2 / (n + 1));
    });
    kinds.forEach((k, i) => {
      if (k === 'history') expect(kinds[i + 1]).toBe('summary');
    });
    const summaries = records
      .filter((_, i) => kinds[i] === 'summary')
      .map((r) =>
        Object.fromEntries(
          subs(sub(r, 3) as Message, 1)
            .map(item)
            .map((it) => [it.key, it.value]),
        ),
      );
    // define_metric_cfg {'val/acc': 'max'}: the summary keeps the maximum
    expect(JSON.parse(summaries[39]['val/acc'])).toEqual({ max: 39 / 40 });
    expect(Number(summaries[39].loss)).toBe(2 / 40);

    const files = sub(records[kinds.indexOf('files')], 6) as Message;
    const file = subs(files, 1)[0];
    expect(int(file, 3)).toBe(2); // MEDIA
    const imgPath = str(file, 1) as string;
    expect(imgPath).toMatch(/^media\/images\/sample_40_[0-9a-f]{20}\.png$/);
    const png = fs.readFileSync(path.join(dir, 'files', imgPath));
    const imageRow = Object.fromEntries(
      subs(history[40], 1)
        .map(item)
        .map((it) => [it.key, it.value]),
    );
    expect(JSON.parse(imageRow.sample)).toMatchObject({
      _type: 'image-file',
      path: imgPath,
      sha256: crypto.createHash('sha256').update(png).digest('hex'),
      size: png.length,
      width: 3,
      height: 3,
    });

    const output = records.filter((_, i) => kinds[i] === 'output_raw').map((r) => sub(r, 13) as Message);
    expect(output.map((o) => str(o, 3))).toEqual(['first console line\n', 'second console line\n']);
    expect(output.every((o) => int(o, 1) === 1 && sub(o, 2) !== undefined)).toBe(true);

    const exit = sub(records.at(-1) as Message, 18) as Message;
    expect(int(exit, 1)).toBe(0);
    expect((await standin.state()).requests).toEqual([]);
  });

  it('WANDB_MODE=offline and WANDB_DIR choose the mode and the parent folder', async () => {
    const parent = tempDir();
    standin.setEnv({ WANDB_MODE: 'offline', WANDB_DIR: parent, WANDB_RUN_ID: 'envrun01', WANDB_BASE_URL: standin.url });
    const backend = new WandbVisBackend({ save_dir: tempDir() });
    await backend.start();
    backend.addScalars({ a: 1 });
    await backend.close();
    expect(backend.mode).toBe('offline');
    expect(backend.paths?.dir).toMatch(new RegExp(`^${parent}/wandb/offline-run-\\d{8}_\\d{6}-envrun01$`));
    expect(readSpecLog(path.join(backend.paths?.dir as string, 'run-envrun01.wandb')).problems).toEqual([]);
    expect((await standin.state()).requests).toEqual([]);
  });

  it('disabled mode writes nothing and makes no request', async () => {
    const saveDir = tempDir();
    const backend = await offlineRun(saveDir, { init_kwargs: { mode: 'disabled' } });
    expect(backend.mode).toBe('disabled');
    expect(backend.paths).toBeUndefined();
    expect(fs.readdirSync(saveDir)).toEqual([]);
    standin.setEnv({ WANDB_MODE: 'disabled', WANDB_BASE_URL: standin.url });
    const fromEnv = await offlineRun(saveDir, {});
    expect(fromEnv.mode).toBe('disabled');
    expect(fs.readdirSync(saveDir)).toEqual([]);
    expect((await standin.state()).requests).toEqual([]);
  });
});
