import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SafetensorsCheckpoint, readCheckpointFile } from '../src/index.js';
import { checkpoint, checkpointFiles, tempDir, trainToy } from './helpers.js';

const epochs = (n: number) => ({ train_cfg: { by_epoch: true, max_epochs: n, val_interval: 1 } });

describe('save_best never picks a non-finite metric', () => {
  it('skips NaN and Infinity with a warning and keeps the best finite score', async () => {
    const wd = tempDir();
    const { runner, log } = await trainToy(wd, {
      ...epochs(4),
      val_evaluator: { type: 'ToyMetric', sequence: [Number.NaN, Number.POSITIVE_INFINITY, 0.5, 0.4] },
      default_hooks: checkpoint({ interval: 1, save_best: 'toy/acc', rule: 'greater' }),
    });
    expect(checkpointFiles(wd).filter((f) => f.startsWith('best_'))).toEqual(['best_toy_acc_epoch_3.safetensors']);
    expect(log).toContain('save_best: toy/acc is NaN at 1 epoch, so this checkpoint is not considered for the best one');
    expect(log).toContain('save_best: toy/acc is Infinity at 2 epoch');
    expect(runner.messageHub.getInfo('best_score')).toBe(0.5);
  });
});

describe('a resumed run never deletes files of the run it resumed from', () => {
  it('resuming run A in work dir B leaves every file of A in place', async () => {
    const a = tempDir();
    await trainToy(a, { ...epochs(2), default_hooks: checkpoint({ interval: 1, save_best: 'auto', max_keep_ckpts: 1 }) });
    const before = checkpointFiles(a);
    expect(before).toContain('best_toy_acc_epoch_2.safetensors');
    const b = tempDir();
    const { log } = await trainToy(b, {
      ...epochs(4),
      resume: true,
      load_from: path.join(a, 'epoch_2.safetensors'),
      default_hooks: checkpoint({ interval: 1, save_best: 'auto', max_keep_ckpts: 1 }),
    });
    expect(checkpointFiles(a)).toEqual(before);
    expect(log).not.toMatch(new RegExp(`(removed|Removed)[^\n]*${a}|${a}[^\n]*is removed`));
  });

  it('an older checkpoint holding absolute paths still loads, and its paths outside the run are left alone', async () => {
    const a = tempDir();
    await trainToy(a, { ...epochs(1), default_hooks: checkpoint({ interval: 1, save_best: 'auto' }) });
    // the layout older trainkit versions wrote: absolute paths in the message hub
    const file = path.join(a, 'epoch_1.safetensors');
    const old = await readCheckpointFile(file);
    const bestA = path.join(a, 'best_toy_acc_epoch_1.safetensors');
    old.message_hub!.runtime_info.best_ckpt = bestA;
    const crafted = path.join(tempDir(), 'old.safetensors');
    await new SafetensorsCheckpoint().save(crafted, old);
    const b = tempDir();
    const { log } = await trainToy(b, { ...epochs(3), resume: crafted, default_hooks: checkpoint({ interval: 1, save_best: 'auto' }) });
    expect(fs.existsSync(bestA)).toBe(true);
    expect(log).toContain(`not deleting ${bestA}: it is outside this run's folders`);
    expect(log).toContain('resumed epoch: 1, iter: 5');
  });
});
