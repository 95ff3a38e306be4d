import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRun } from '@trainkit/tfevents';
import { describe, expect, it } from 'vitest';
import { runCli, runFolders, tempDir } from '../support/cli.js';

/** A short MLP run on part of the committed Fashion-MNIST subset (16 iterations an epoch). */
const FAST = [
  'train_dataloader.dataset.max_samples=1024',
  'val_dataloader.dataset.max_samples=512',
  'test_dataloader.dataset.max_samples=512',
  'train_cfg.max_epochs=1',
  'default_hooks.logger.interval=4',
  'param_scheduler.0.end=8',
  'param_scheduler.1.end=1',
];

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('a terminal a person reads', () => {
  const workDir = tempDir();

  it('train: the first training line within a few lines, the config and hook plan in the log, a summary at the end', async () => {
    const r = await runCli(['train', 'configs/mlp_fashion-mnist.ts', '--work-dir', workDir, '--cfg-options', ...FAST]);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    const first = out.findIndex((l) => l.includes('Epoch(train)'));
    // was ~320 lines (environment, a 200-line config dump, the hook plan)
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(8);
    expect(r.stdout).not.toContain('Hooks will be executed');
    expect(r.stdout).not.toContain('"train_dataloader"');
    const [run] = runFolders(workDir);
    const log = fs.readFileSync(path.join(run, `${path.basename(run)}.log`), 'utf8');
    expect(log).toContain('Hooks will be executed in the following order:');
    expect(log).toContain('"train_dataloader"');
    expect(log).toContain('System environment:');
    expect(r.stdout).toMatch(/Training finished: 16 iterations in \d/);
    expect(r.stdout).toMatch(/\n {4}val: accuracy\/top1: \d+\.\d{4}/);
    expect(r.stdout).toMatch(/\n {4}best: \d+\.\d{4} in .*best_accuracy_top1_epoch_1\.safetensors/);
    expect(r.stdout).toContain(`\n    checkpoints: ${workDir} (newest: epoch_1.safetensors)`);
  });

  it('test: little more than the metrics line', async () => {
    const r = await runCli([
      'test',
      'configs/mlp_fashion-mnist.ts',
      path.join(workDir, 'epoch_1.safetensors'),
      '--work-dir',
      workDir,
      '--cfg-options',
      ...FAST,
    ]);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out.length).toBeLessThanOrEqual(6);
    expect(out.at(-2)).toMatch(/Epoch\(test\) \[(\d+)\/\1\]\s+accuracy\/top1: \d+\.\d{4}/);
    expect(Object.keys(JSON.parse(out.at(-1) as string))).toEqual(['accuracy/top1', 'accuracy/top5']);
  });

  it('log_level DEBUG shows the config and the hook plan on the terminal too', async () => {
    const r = await runCli(['train', 'configs/mlp_fashion-mnist.ts', '--dry-run', '--cfg-options', ...FAST, 'log_level=DEBUG']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Hooks will be executed in the following order:');
    expect(r.stdout).toContain('"train_dataloader"');
  });
});

describe('run controls', () => {
  it('--dry-run: a few batches of train, val and test, nothing kept on disk', async () => {
    const tmp = tempDir('trainkit-dry-tmp-');
    const workDir = path.join(tempDir(), 'would-be-work-dir');
    const r = await runCli(['train', 'configs/mlp_fashion-mnist.ts', '--dry-run', '--work-dir', workDir], { env: { TMPDIR: tmp } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Epoch\(train\) \[1\]\[2\/2\]/);
    expect(r.stdout).toMatch(/Epoch\(val\) \[1\]\[2\/2\]/);
    expect(r.stdout).toMatch(/Epoch\(test\) \[2\/2\]/);
    expect(r.stdout).toContain('Dry run passed: train, val, test (2 batches each); nothing was kept');
    expect(fs.existsSync(workDir)).toBe(false);
    // (the wasm backend keeps its worker script in the temporary folder, as a cache for every run)
    expect(fs.readdirSync(tmp).filter((f) => !f.startsWith('trainkit-wasm-worker-'))).toEqual([]);
  });

  it('train_cfg.max_time stops cleanly with a resumable checkpoint; --resume finishes the run', async () => {
    const workDir = tempDir();
    const r = await runCli(['train', 'configs/mlp_fashion-mnist.ts', '--work-dir', workDir, '--cfg-options', ...FAST, 'train_cfg.max_time=0.001']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('train_cfg.max_time (0.001s) reached after iteration 1: stopping');
    expect(r.stdout).toMatch(/Training stopped by max_time: 1 iterations in .*\n(.*\n)*? {4}checkpoints: .*; continue with --resume\)/);
    expect(fs.readFileSync(path.join(workDir, 'last_checkpoint'), 'utf8')).toMatch(/\.safetensors$/);
    const resumed = await runCli(['train', 'configs/mlp_fashion-mnist.ts', '--work-dir', workDir, '--resume', '--cfg-options', ...FAST]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('resumed epoch: 0, iter: 1');
    expect(resumed.stdout).toMatch(/Training finished: 16 iterations/);
    expect(fs.existsSync(path.join(workDir, 'epoch_1.safetensors'))).toBe(true);
  });

  it('limit_*_batches from the command line cap each loop', async () => {
    const workDir = tempDir();
    const r = await runCli([
      'train',
      'configs/mlp_fashion-mnist.ts',
      '--work-dir',
      workDir,
      '--cfg-options',
      ...FAST,
      'train_cfg.limit_train_batches=0.25',
      'val_cfg.limit_val_batches=1',
      'default_hooks.logger.interval=1',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Epoch\(train\) \[1\]\[4\/4\]/);
    expect(r.stdout).toMatch(/Epoch\(val\) \[1\]\[1\/1\]/);
  });
});

describe('histograms of weights and gradients', () => {
  it('LoggerHook histogram_interval writes them to TensorBoard, read back with @trainkit/tfevents', async () => {
    const workDir = tempDir();
    const r = await runCli([
      'train',
      'configs/mlp_fashion-mnist.ts',
      '--work-dir',
      workDir,
      '--cfg-options',
      ...FAST,
      'default_hooks.logger.histogram_interval=8',
    ]);
    expect(r.code).toBe(0);
    const [run] = runFolders(workDir);
    const tb = await readRun(path.join(run, 'vis_data'));
    const tags = [...tb.histograms.keys()];
    expect(tags.some((t) => t.startsWith('parameters/'))).toBe(true);
    expect(tags.some((t) => t.startsWith('gradients/'))).toBe(true);
    for (const tag of tags) {
      const points = tb.histograms.get(tag)!;
      expect(points.map((p) => p.step)).toEqual([8, 16]);
      const counts = points.map((p) => p.value.reduce((a, [, , c]) => a + c, 0));
      expect(counts[0]).toBeGreaterThan(0);
      expect(counts[1]).toBe(counts[0]);
    }
  });
});
