import * as fs from 'node:fs';
import * as path from 'node:path';
import { Hook } from '@trainkit/core';
import '@trainkit/optim';
import { describe, expect, it } from 'vitest';
import { readCheckpointFile } from '../src/index.js';
import { checkpoint, checkpointFiles, quietRunner, tempDir, toy, trainToy } from './helpers.js';

const epochs = (n: number) => ({ train_cfg: { by_epoch: true, max_epochs: n } });
const withScheduler = {
  optim_wrapper: { type: 'OptimWrapper', optimizer: { type: 'SGD', lr: 0.1, momentum: 0.9 } },
  param_scheduler: { type: 'MultiStepLR', milestones: [1], by_epoch: true },
};

describe('CheckpointHook arguments', () => {
  it('interval -1 (the class default) still saves the last epoch with save_last', async () => {
    const wd = tempDir();
    await trainToy(wd, { ...epochs(3), default_hooks: checkpoint({}) });
    expect(checkpointFiles(wd)).toEqual(['epoch_3.safetensors']);
  });

  it('by_epoch=false saves every interval iterations, also inside an epoch-based loop', async () => {
    const wd = tempDir();
    const { log } = await trainToy(wd, { ...epochs(2), default_hooks: checkpoint({ by_epoch: false, interval: 4 }) });
    expect(checkpointFiles(wd)).toEqual(['iter_10.safetensors', 'iter_4.safetensors', 'iter_8.safetensors']);
    expect(log).toContain('Saving checkpoint at 4 iterations');
    const ckpt = await readCheckpointFile(path.join(wd, 'iter_4.safetensors'));
    expect([ckpt.meta.epoch, ckpt.meta.iter]).toEqual([0, 4]);
  });

  it('save_optimizer and save_param_scheduler choose the top-level keys', async () => {
    const wd = tempDir();
    await trainToy(wd, { ...epochs(1), ...withScheduler, default_hooks: checkpoint({ interval: 1 }) });
    const full = await readCheckpointFile(path.join(wd, 'epoch_1.safetensors'));
    expect(Object.keys(full)).toEqual(['meta', 'state_dict', 'message_hub', 'optimizer', 'param_schedulers']);
    expect((full.optimizer as any).state['0'].momentum_buffer.shape).toEqual([2, 1]);
    const wd2 = tempDir();
    await trainToy(wd2, { ...epochs(1), ...withScheduler, default_hooks: checkpoint({ interval: 1, save_optimizer: false, save_param_scheduler: false }) });
    expect(Object.keys(await readCheckpointFile(path.join(wd2, 'epoch_1.safetensors')))).toEqual(['meta', 'state_dict', 'message_hub']);
  });

  it('meta records the run: epoch, iter, seed, versions, config, RNG and sampler state', async () => {
    const wd = tempDir();
    await trainToy(wd, { ...epochs(1), experiment_name: 'toyexp', default_hooks: checkpoint({ interval: 1 }) });
    const { meta } = await readCheckpointFile(path.join(wd, 'epoch_1.safetensors'));
    expect(meta).toMatchObject({
      epoch: 1,
      iter: 5,
      seed: 42,
      tfjs_backend: 'cpu',
      sampler_state: { seed: 42, epoch: 0 },
      dataset_meta: { classes: ['a', 'b'] },
    });
    expect(meta.experiment_name).toMatch(/^toyexp_/);
    expect(meta.time).toMatch(/^\d{8}_\d{6}$/);
    expect(meta.rng_state).toHaveLength(4);
    expect(JSON.parse(meta.cfg!).work_dir).toBe(wd);
    expect(typeof meta.trainkit_version).toBe('string');
    expect(typeof meta.tfjs_version).toBe('string');
  });

  it('out_dir puts checkpoints in out_dir/<work_dir name>; last_checkpoint stays in work_dir; auto-resume finds them', async () => {
    const wd = path.join(tempDir(), 'exp1');
    const out = tempDir();
    const { log } = await trainToy(wd, { ...epochs(2), default_hooks: checkpoint({ interval: 1, out_dir: out }) });
    expect(checkpointFiles(path.join(out, 'exp1'))).toEqual(['epoch_1.safetensors', 'epoch_2.safetensors']);
    expect(fs.readdirSync(wd).some((f) => f.endsWith('.safetensors'))).toBe(false);
    // stored relative to work_dir, resolving to the file
    expect(path.isAbsolute(fs.readFileSync(path.join(wd, 'last_checkpoint'), 'utf8'))).toBe(false);
    expect(path.resolve(wd, fs.readFileSync(path.join(wd, 'last_checkpoint'), 'utf8'))).toBe(path.join(out, 'exp1', 'epoch_2.safetensors'));
    expect(log).toContain(`Checkpoints will be saved to ${path.join(out, 'exp1')}.`);
    // with last_checkpoint gone, auto-resume still looks in the hook's folder
    fs.rmSync(path.join(wd, 'last_checkpoint'));
    const resumed = await trainToy(wd, { ...epochs(3), resume: true, default_hooks: checkpoint({ interval: 1, out_dir: out }) });
    expect(resumed.log).toContain(`Auto resumed from the latest checkpoint ${path.join(out, 'exp1', 'epoch_2.safetensors')}.`);
  });

  it('async_save writes the same checkpoints, at most one at a time, all done when train() returns', async () => {
    const wd = tempDir();
    let overlapped = 0;
    const probe = new (class extends Hook {
      override afterTrainIter(): void {
        if (inFlight > 0) overlapped++;
      }
    })();
    const cfg = toy(wd, {
      ...epochs(4),
      custom_hooks: [probe],
      default_hooks: checkpoint({ interval: 1, max_keep_ckpts: 2, save_best: 'auto', async_save: true }),
    });
    const runner = await quietRunner(cfg);
    const start = runner.startSaveCheckpoint.bind(runner);
    let inFlight = 0;
    let most = 0;
    runner.startSaveCheckpoint = async (...args) => {
      const pending = await start(...args);
      most = Math.max(most, ++inFlight);
      // a slow disk: the write finishes well after training moved on
      const written = pending.written.then(() => new Promise<void>((r) => setTimeout(r, 30))).finally(() => inFlight--);
      return { ...pending, written };
    };
    await runner.train();
    await runner.dispose();
    expect(most).toBe(1);
    expect(overlapped).toBeGreaterThan(0);
    expect(inFlight).toBe(0);
    expect(checkpointFiles(wd)).toEqual(['best_toy_acc_epoch_4.safetensors', 'epoch_3.safetensors', 'epoch_4.safetensors']);
    expect(fs.readFileSync(path.join(wd, 'last_checkpoint'), 'utf8')).toBe('epoch_4.safetensors');
    const ckpt = await readCheckpointFile(path.join(wd, 'epoch_4.safetensors'));
    expect(ckpt.meta.iter).toBe(20);
  });
});
