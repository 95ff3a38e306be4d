import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

const CONFIG = 'configs/mlp_fashion-mnist.ts';
const SMALL = ['train_dataloader.dataset.max_samples=64', 'val_dataloader.dataset.max_samples=64', 'test_dataloader.dataset.max_samples=64'];

describe('trainkit check and print-config report every problem; run flags that mean nothing are refused', () => {
  it('check: a good config exits 0 and writes nothing', async () => {
    const workDir = path.join(tempDir(), 'wd');
    const r = await runCli(['check', CONFIG, '--work-dir', workDir, '--cfg-options', ...SMALL]);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${CONFIG}: OK`);
    expect(fs.existsSync(workDir)).toBe(false);
  });

  it('check: every problem of every section at once, exit 1', async () => {
    const r = await runCli([
      'check',
      CONFIG,
      '--cfg-options',
      ...SMALL,
      'max_epochs=1',
      'train_cfg.max_epoch=1',
      'randomness.sed=1',
      'env_cfg.cudnn_benchmrk=false',
      'default_hooks.logger.intervl=3',
      'model.layers.0.type=dnse',
      'total_epochs=3',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('max_epochs: unknown top-level key "max_epochs" (set by --cfg-options max_epochs=...)');
    expect(r.stderr).toContain('train_cfg.max_epoch: unknown option "max_epoch" for EpochBasedTrainLoop. Did you mean "max_epochs"');
    expect(r.stderr).toContain('randomness.sed: unknown option "sed" for randomness. Did you mean "seed"?');
    expect(r.stderr).toContain('env_cfg.cudnn_benchmrk: unknown option "cudnn_benchmrk" for env_cfg. Did you mean "cudnn_benchmark"?');
    expect(r.stderr).toContain('default_hooks.logger.intervl: unknown option "intervl" for LoggerHook. Did you mean "interval"?');
    expect(r.stderr).toContain('model.layers.0');
    expect(r.stderr).toContain('"total_epochs" is an MMEngine 0.x (MMCV) key; MMEngine and trainkit use train_cfg.max_epochs');
    expect(r.stderr).toContain(`${CONFIG}: 7 problems`);
  });

  it('print-config prints the config and exits 1 on a typo', async () => {
    const r = await runCli(['print-config', CONFIG, '--cfg-options', ...SMALL, 'default_hooks.checkpoint.intervl=2']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).default_hooks.checkpoint.intervl).toBe(2);
    expect(r.stderr).toContain('default_hooks.checkpoint.intervl: unknown option "intervl" for CheckpointHook. Did you mean "interval"?');
  });

  it('train refuses --cfg-options max_epochs=1 before it trains', async () => {
    const workDir = path.join(tempDir(), 'wd');
    const r = await runCli(['train', CONFIG, '--work-dir', workDir, '--cfg-options', ...SMALL, 'max_epochs=1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean train_cfg.max_epochs?');
    expect(fs.existsSync(workDir)).toBe(false);
  });

  it('train refuses --resume A --load-from B', async () => {
    const r = await runCli(['train', CONFIG, '--resume', 'a.ckpt', '--load-from', 'b.ckpt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--resume a.ckpt and --load-from b.ckpt name two different checkpoints');
    expect(r.stderr).toContain('keep one');
  });
});
