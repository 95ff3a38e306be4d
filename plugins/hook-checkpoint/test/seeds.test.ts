import * as fs from 'node:fs';
import * as path from 'node:path';
import { BaseMetric, METRICS } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import { readCheckpointFile } from '../src/index.js';
import { checkpoint, checkpointFiles, tempDir, trainToy } from './helpers.js';

const epochs = (n: number) => ({ train_cfg: { by_epoch: true, max_epochs: n } });
/** last_checkpoint holds a path relative to work_dir. */
const lastCheckpoint = (wd: string) => path.resolve(wd, fs.readFileSync(path.join(wd, 'last_checkpoint'), 'utf8'));

/** Seed 10's iteration schedule: validations at iterations 5, 8, 10 and 12. */
const seed10 = (extra: Record<string, unknown> = {}) => ({
  train_cfg: { type: 'IterBasedTrainLoop', max_iters: 12, val_interval: 5, dynamic_intervals: [[8, 2]] },
  default_hooks: checkpoint({ by_epoch: false, interval: 3, max_keep_ckpts: 3, save_best: 'toy/acc', ...extra }),
});

/** Reports FID and IS (for several save_best keys with their own rules). */
class GanMetric extends BaseMetric<number> {
  private call = 0;
  process(): void {}
  computeMetrics(): Record<string, number> {
    const fid = [30, 20, 25, 10][this.call];
    const is = [1, 3, 2, 2.5][this.call++];
    return { FID: fid, IS: is };
  }
}
METRICS.register('GanMetric', GanMetric, { force: true });

describe('CheckpointHook: MMEngine test seeds', () => {
  it('seed 5: max_keep_ckpts=2 over 4 epochs keeps epoch_3 and epoch_4', async () => {
    const wd = tempDir();
    const { runner } = await trainToy(wd, { ...epochs(4), default_hooks: checkpoint({ interval: 1, max_keep_ckpts: 2 }) });
    expect(checkpointFiles(wd)).toEqual(['epoch_3.safetensors', 'epoch_4.safetensors']);
    expect(lastCheckpoint(wd)).toBe(path.join(wd, 'epoch_4.safetensors'));
    expect(runner.messageHub.getInfo('keep_ckpt_ids')).toEqual([3, 4]);
  });

  it('seed 6: save_last adds the last epoch to the interval ones', async () => {
    const wd = tempDir();
    await trainToy(wd, { ...epochs(5), default_hooks: checkpoint({ interval: 2 }) });
    expect(checkpointFiles(wd)).toEqual(['epoch_2.safetensors', 'epoch_4.safetensors', 'epoch_5.safetensors']);
    const wd2 = tempDir();
    await trainToy(wd2, { ...epochs(5), default_hooks: checkpoint({ interval: 2, save_last: false }) });
    expect(checkpointFiles(wd2)).toEqual(['epoch_2.safetensors', 'epoch_4.safetensors']);
  });

  it('seed 7: save_begin shifts the phase', async () => {
    const wd = tempDir();
    await trainToy(wd, { ...epochs(5), default_hooks: checkpoint({ interval: 2, save_begin: 1 }) });
    expect(checkpointFiles(wd)).toEqual(['epoch_1.safetensors', 'epoch_3.safetensors', 'epoch_5.safetensors']);
  });

  it('seed 8: filename_tmpl with a format spec (a .pth template becomes .safetensors)', async () => {
    const wd = tempDir();
    const { log } = await trainToy(wd, { ...epochs(5), default_hooks: checkpoint({ interval: 2, filename_tmpl: 'ckpt_{:03d}.pth' }) });
    expect(checkpointFiles(wd)).toEqual(['ckpt_002.safetensors', 'ckpt_004.safetensors', 'ckpt_005.safetensors']);
    expect(log).toContain('Saving checkpoint at 2 epochs');
  });

  it('seed 9: save_best in epoch mode names, replaces and re-saves as MMEngine does', async () => {
    const wd = tempDir();
    const { runner, log } = await trainToy(wd, { ...epochs(4), default_hooks: checkpoint({ interval: 1, max_keep_ckpts: 2, save_best: 'auto' }) });
    expect(checkpointFiles(wd)).toEqual(['best_toy_acc_epoch_4.safetensors', 'epoch_3.safetensors', 'epoch_4.safetensors']);
    expect(log).toContain('The best checkpoint with 0.7000 toy/acc at 2 epoch is saved to best_toy_acc_epoch_2.safetensors.');
    expect(log).toContain(`The previous best checkpoint ${path.join(wd, 'best_toy_acc_epoch_1.safetensors')} is removed`);
    const best = await readCheckpointFile(path.join(wd, 'best_toy_acc_epoch_4.safetensors'));
    expect(Object.keys(best)).toEqual(['meta', 'state_dict', 'message_hub']);
    expect([best.meta.epoch, best.meta.iter]).toEqual([4, 20]);
    // the regular checkpoint was saved again after the best update, so its hub knows the new best
    const regular = await readCheckpointFile(path.join(wd, 'epoch_4.safetensors'));
    expect(regular.message_hub?.runtime_info.best_ckpt).toBe('best_toy_acc_epoch_4.safetensors');
    expect(regular.message_hub?.runtime_info.best_score).toBe(0.8);
    expect(runner.messageHub.getInfo('best_score')).toBe(0.8);
  });

  it('seed 10: best updates in iter mode create extra iter_N files that join the rotation', async () => {
    const wd = tempDir();
    await trainToy(wd, seed10());
    expect(checkpointFiles(wd)).toEqual(['best_toy_acc_iter_12.safetensors', 'iter_12.safetensors', 'iter_8.safetensors', 'iter_9.safetensors']);
  });

  it('seed 11: published_keys writes hash-named copies with only those keys', async () => {
    const wd = tempDir();
    const { log } = await trainToy(wd, seed10({ published_keys: ['meta', 'state_dict'] }));
    const files = checkpointFiles(wd);
    const published = files.filter((f) => /-[0-9a-f]{8}\.safetensors$/.test(f));
    expect(published).toHaveLength(2);
    expect(published.some((f) => /^iter_12-[0-9a-f]{8}\.safetensors$/.test(f))).toBe(true);
    expect(published.some((f) => /^best_toy_acc_iter_12-[0-9a-f]{8}\.safetensors$/.test(f))).toBe(true);
    for (const f of published) {
      const ckpt = await readCheckpointFile(path.join(wd, f));
      expect(Object.keys(ckpt)).toEqual(['meta', 'state_dict']);
      // the suffix is the start of the file's sha256, as torch.hub checks it
      const { createHash } = await import('node:crypto');
      expect(
        createHash('sha256')
          .update(fs.readFileSync(path.join(wd, f)))
          .digest('hex')
          .slice(0, 8),
      ).toBe(/-([0-9a-f]{8})\./.exec(f)![1]);
    }
    expect(log).toContain("Key ['message_hub', 'optimizer'] will be removed because they are not found in published_keys.");
    expect(log).toMatch(/The checkpoint \(.*iter_12\.safetensors\) is published to .*iter_12-[0-9a-f]{8}\.safetensors\./);
  });

  it('seed 12: several save_best keys with explicit rules', async () => {
    const wd = tempDir();
    const { runner } = await trainToy(wd, {
      ...epochs(4),
      val_evaluator: { type: 'GanMetric', prefix: '' },
      default_hooks: checkpoint({ interval: 1, save_best: ['FID', 'IS'], rule: ['less', 'greater'] }),
    });
    expect(runner.messageHub.getInfo('best_score_FID')).toBe(10);
    expect(runner.messageHub.getInfo('best_score_IS')).toBe(3);
    const files = checkpointFiles(wd);
    expect(files.filter((f) => f.startsWith('best_'))).toEqual(['best_FID_epoch_4.safetensors', 'best_IS_epoch_2.safetensors']);
    expect(runner.messageHub.getInfo('best_ckpt_IS')).toBe('best_IS_epoch_2.safetensors');
  });

  it('seed 21: auto-resume from seed 5 with another seed, then rotation continues', async () => {
    const wd = tempDir();
    await trainToy(wd, { ...epochs(4), default_hooks: checkpoint({ interval: 1, max_keep_ckpts: 2 }) });
    const firstIter: number[] = [];
    const probe = new (class extends (await import('@trainkit/core')).Hook {
      override beforeTrainIter(r: import('@trainkit/core').Runner): void {
        if (firstIter.length === 0) firstIter.push(r.epoch, r.iter);
      }
    })();
    const { log } = await trainToy(wd, {
      ...epochs(12),
      randomness: { seed: 7 },
      resume: true,
      custom_hooks: [probe],
      default_hooks: checkpoint({ interval: 1, max_keep_ckpts: 2 }),
    });
    expect(log).toContain(`Auto resumed from the latest checkpoint ${path.join(wd, 'epoch_4.safetensors')}.`);
    expect(log).toContain('The value of random seed in the checkpoint "42" is different from the value in `randomness` config "7"');
    expect(log).toContain('resumed epoch: 4, iter: 20');
    expect(firstIter).toEqual([4, 20]);
    expect(checkpointFiles(wd)).toEqual(['epoch_11.safetensors', 'epoch_12.safetensors']);

    const fresh = tempDir();
    const { log: freshLog, runner } = await trainToy(fresh, { ...epochs(1), resume: true });
    expect(freshLog).toContain('Auto resumed from the latest checkpoint None.');
    expect(runner.iter).toBe(5);
  });
});
