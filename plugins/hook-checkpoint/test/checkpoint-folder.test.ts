import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CheckpointFolderOwner, ConfigError, Hook, HOOKS, Runner, ownsCheckpointFolder } from '@trainkit/core';
import '@trainkit/optim';
import { describe, expect, it } from 'vitest';
import { CheckpointHook, DEFAULT_DOWNLOAD_LIMITS, type DownloadLimits, downloadLimits } from '../src/index.js';
import { checkpoint, checkpointFiles, tempDir, toy, trainToy } from './helpers.js';

const epochs = (n: number) => ({ train_cfg: { by_epoch: true, max_epochs: n } });

/** A third-party hook that keeps checkpoints somewhere of its own and declares it. */
class OwnFolderHook extends Hook implements CheckpointFolderOwner {
  checkpointFolder(workDir: string): string {
    return path.join(workDir, 'own_ckpts');
  }
}
HOOKS.register('OwnFolderHook', OwnFolderHook, { force: true });

describe('the checkpoint folder, an explicit value declared by the hook that owns checkpoints', () => {
  it('CheckpointHook declares out_dir/<work_dir name> through the typed contract, known as soon as the runner is built', () => {
    const hook = new CheckpointHook({ out_dir: '/ckpts' });
    expect(ownsCheckpointFolder(hook)).toBe(true);
    expect(hook.checkpointFolder('/runs/exp1')).toBe(path.join('/ckpts', 'exp1'));
    expect(new CheckpointHook({}).checkpointFolder('/runs/exp1')).toBe('/runs/exp1');

    const wd = path.join(tempDir(), 'exp1');
    const out = tempDir();
    const runner = new Runner(toy(wd, { default_hooks: checkpoint({ interval: 1, out_dir: out }) }));
    expect(runner.checkpointDir).toBe(path.join(out, 'exp1'));
    // declared, not created: the folder is made when training starts
    expect(fs.existsSync(path.join(out, 'exp1'))).toBe(false);
  });

  it('a custom out_dir: saving, the run summary and auto-resume all use that one folder', async () => {
    const wd = path.join(tempDir(), 'exp2');
    const out = tempDir();
    const { runner, log } = await trainToy(wd, { ...epochs(2), default_hooks: checkpoint({ interval: 1, out_dir: out }) });
    const dir = path.join(out, 'exp2');
    expect(runner.checkpointDir).toBe(dir);
    expect(checkpointFiles(dir)).toEqual(['epoch_1.safetensors', 'epoch_2.safetensors']);
    expect(log).toContain(`Checkpoints will be saved to ${dir}.`);
    expect(log).toMatch(new RegExp(`checkpoints: .*${path.basename(out)}/exp2 \\(newest: epoch_2\\.safetensors\\)`));
    // last_checkpoint removed: auto-resume finds the newest in the declared folder, not in work_dir
    fs.rmSync(path.join(wd, 'last_checkpoint'));
    const resumed = await trainToy(wd, { ...epochs(3), resume: true, default_hooks: checkpoint({ interval: 1, out_dir: out }) });
    expect(resumed.log).toContain(`Auto resumed from the latest checkpoint ${path.join(dir, 'epoch_2.safetensors')}.`);
  });

  it('a run with no CheckpointHook: the folder is work_dir, auto-resume looks there and the summary says none were saved', async () => {
    const wd = tempDir();
    const { runner, log } = await trainToy(wd, { ...epochs(1), resume: true, default_hooks: { checkpoint: null } });
    expect(runner.checkpointDir).toBe(wd);
    expect(log).toContain('Did not find last_checkpoint to be resumed.');
    expect(log).toContain('checkpoints: none saved (no CheckpointHook in default_hooks)');
  });

  it("another hook that declares the folder replaces CheckpointHook's; two owners are refused", async () => {
    const wd = tempDir();
    const own = new Runner(toy(wd, { default_hooks: { checkpoint: null }, custom_hooks: [{ type: 'OwnFolderHook' }] }));
    expect(own.checkpointDir).toBe(path.join(wd, 'own_ckpts'));
    await own.dispose();
    expect(() => new Runner(toy(wd, { default_hooks: checkpoint({ interval: 1 }), custom_hooks: [{ type: 'OwnFolderHook' }] }))).toThrow(ConfigError);
    expect(() => new Runner(toy(wd, { default_hooks: checkpoint({ interval: 1 }), custom_hooks: [{ type: 'OwnFolderHook' }] }))).toThrow(
      /two hooks declare the checkpoint folder: (CheckpointHook and OwnFolderHook|OwnFolderHook and CheckpointHook)/,
    );
  });
});

describe('download limits, this process-wide setting, set only while the hook’s run goes on', () => {
  it('building the hook changes nothing; its run uses its limits; afterwards the defaults are back', async () => {
    class LimitsProbe extends Hook {
      seen: DownloadLimits | undefined;
      override beforeRun(): void {
        this.seen = downloadLimits();
      }
    }
    const probe = new LimitsProbe();
    const runner = new Runner(toy(tempDir(), { ...epochs(1), default_hooks: checkpoint({ download_max_size: 1000, download_timeout: 5 }) }));
    expect(downloadLimits()).toEqual(DEFAULT_DOWNLOAD_LIMITS);
    runner.registerHook(probe, 'LOWEST');
    await runner.train();
    await runner.dispose();
    expect(probe.seen).toEqual({ maxSize: 1000, timeoutS: 5 });
    expect(downloadLimits()).toEqual(DEFAULT_DOWNLOAD_LIMITS);
  });
});
