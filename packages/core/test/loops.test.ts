import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Config, Hook, type Runner, createRunner } from '../src/index.js';
import { tempDir, toyConfig } from '../src/testing/index.js';

/** Records after which epoch / iteration validation ran. */
class ValRecorder extends Hook {
  readonly at: number[] = [];
  constructor(readonly byEpoch: boolean) {
    super();
  }
  override afterValEpoch(runner: Runner): void {
    this.at.push(this.byEpoch ? runner.epoch : runner.iter);
  }
}

async function validationPoints(trainCfg: Record<string, unknown>): Promise<number[]> {
  const runner = await createRunner(toyConfig(tempDir(), { train_cfg: trainCfg }));
  const recorder = new ValRecorder(trainCfg.by_epoch !== false);
  runner.registerHook(recorder);
  await runner.train();
  await runner.dispose();
  return recorder.at;
}

describe('validation schedules (MMEngine seeds 10, 22, 23)', () => {
  it('epoch-based: val_interval 3 from val_begin 2 over 7 epochs validates after 3, 6, 7', async () => {
    expect(await validationPoints({ by_epoch: true, max_epochs: 7, val_interval: 3, val_begin: 2 })).toEqual([3, 6, 7]);
  });

  it('epoch-based dynamic intervals switch one epoch early, as MMEngine does: 1, 2, 4, 6, 8', async () => {
    expect(await validationPoints({ by_epoch: true, max_epochs: 8, val_interval: 1, dynamic_intervals: [[4, 2]] })).toEqual([1, 2, 4, 6, 8]);
  });

  it('iteration-based dynamic intervals: 5, 8, 10, 12', async () => {
    expect(await validationPoints({ by_epoch: false, max_iters: 12, val_interval: 5, dynamic_intervals: [[8, 2]] })).toEqual([5, 8, 10, 12]);
  });
});

describe('JS config files', () => {
  const fixtures = path.join(import.meta.dirname, 'fixtures/config');

  it('loads .mjs with an exported _base_ next to a default object', async () => {
    const cfg = await Config.fromFile(path.join(fixtures, 'plain.mjs'));
    expect(cfg.data).toEqual({ train_cfg: { by_epoch: true, max_epochs: 3 }, lr: 0.5 });
  });

  it('takes the named exports of a .js module without a default export', async () => {
    const cfg = await Config.fromFile(path.join(fixtures, 'named-exports.js'));
    expect(cfg.data).toEqual({ work_dir: './work_dirs/named', lr: 0.25 });
  });
});
