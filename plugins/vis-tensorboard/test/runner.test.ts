import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ConfigObject, createRunner } from '@trainkit/core';
import { tempDir as coreTempDir, toyConfig } from '@trainkit/core/testing';
import { type RunData, readRun } from '@trainkit/tfevents';
import { describe, expect, it } from 'vitest';
import { eventFiles } from './helpers.js';
import '@trainkit/hook-logger';
import '../src/index.js';

/** Trains MMEngine's toy setup (2 epochs of 5 iterations) with both backends and LoggerHook. */
async function run(extra: ConfigObject): Promise<{ tb: RunData; lines: Array<Record<string, number>> }> {
  const workDir = coreTempDir();
  try {
    const cfg = toyConfig(workDir, {
      visualizer: { vis_backends: [{ type: 'LocalVisBackend' }, { type: 'TensorboardVisBackend' }] },
      default_hooks: { logger: { type: 'LoggerHook', interval: 1 } },
      ...extra,
    });
    const runner = await createRunner(cfg);
    await runner.train();
    await runner.dispose();
    const visData = path.join(runner.logDir, 'vis_data');
    expect(eventFiles(visData)).toHaveLength(1);
    const lines = fs
      .readFileSync(path.join(visData, 'scalars.json'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number>);
    return { tb: await readRun(visData), lines };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

describe('a run with LocalVisBackend and TensorboardVisBackend', () => {
  it('leaves an event file in <run>/vis_data with every scalar of scalars.json, the config and the hparams', async () => {
    const { tb, lines } = await run({ log_processor: { log_with_hierarchy: true } });
    expect(lines.length).toBe(12); // 10 train iterations, 2 validations
    let compared = 0;
    for (const { step, ...scalars } of lines) {
      for (const [tag, value] of Object.entries(scalars)) {
        expect(tb.scalars.get(tag)?.find((p) => p.step === step)?.value).toBe(Math.fround(value));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
    expect(tb.scalars.get('train/loss')?.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    expect(tb.text.get('config')?.[0].value.text[0]).toContain('ToyModel');
    const hparams = tb.hparams.sessionStartInfo?.hparams ?? {};
    expect(hparams['optim_wrapper.optimizer.lr']).toBe(0.1);
    expect(hparams['train_cfg.max_epochs']).toBe(2);
    expect(hparams['model.type']).toBe('ToyModel');
    expect(tb.hparams.sessionEndInfo?.status).toBe(1);
  });

  it("keeps the train curves of time and data_time whole though validation logs them at epoch steps (MMEngine's defaults)", async () => {
    const { tb, lines } = await run({});
    const trainSteps = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    for (const tag of ['loss', 'time', 'data_time', 'lr']) expect(tb.scalars.get(tag)?.map((p) => p.step)).toEqual(trainSteps);
    // everything else of scalars.json is there; only validation's time and data_time are not
    for (const { step, ...scalars } of lines) {
      for (const [tag, value] of Object.entries(scalars)) {
        const point = tb.scalars.get(tag)?.find((p) => p.step === step);
        const skipped = (tag === 'time' || tag === 'data_time') && !('loss' in scalars);
        if (skipped) expect(point?.value).not.toBe(Math.fround(value));
        else expect(point?.value).toBe(Math.fround(value));
      }
    }
  });
});
