import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runFolders, startCli, tempDir, waitFor } from '../support/cli.js';

/** A short MLP run on part of the committed Fashion-MNIST subset. */
const FAST = [
  'train_dataloader.dataset.max_samples=1024',
  'val_dataloader.dataset.max_samples=512',
  'test_dataloader.dataset.max_samples=512',
  'train_cfg.max_epochs=1',
  'default_hooks.logger.interval=4',
  'param_scheduler.0.end=8',
  'param_scheduler.1.end=1',
];

function jsonLines(file: string): Array<Record<string, number>> {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('trainkit train -> resume -> test, through the CLI', () => {
  const workDir = tempDir();

  it('trains, leaving checkpoints, last_checkpoint, text and JSON logs', async () => {
    const r = await runCli(['train', 'configs/mlp_fashion-mnist.ts', '--work-dir', workDir, '--cfg-options', ...FAST]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(workDir, 'epoch_1.safetensors'))).toBe(true);
    expect(fs.readFileSync(path.join(workDir, 'last_checkpoint'), 'utf8').trim()).toBe('epoch_1.safetensors');
    const [run] = runFolders(workDir);
    const stamp = path.basename(run);
    const log = fs.readFileSync(path.join(run, `${stamp}.log`), 'utf8');
    expect(log).toMatch(/Epoch\(train\) \[1\]\[ 4\/16\]\s+lr: \d\.\d{4}e-\d\d\s+eta: \d+:\d\d:\d\d\s+time: \d+\.\d{4}\s+data_time: \d+\.\d{4}/);
    expect(log).toMatch(/Epoch\(val\) \[1\]\[2\/2\]\s+accuracy\/top1: \d+\.\d{4}/);
    const scalars = jsonLines(path.join(run, 'vis_data', 'scalars.json'));
    expect(scalars.some((l) => l.step === 4 && typeof l.loss === 'number')).toBe(true);
    expect(scalars.some((l) => l.step === 1 && typeof l['accuracy/top1'] === 'number')).toBe(true);
  });

  it('--resume continues from the latest checkpoint', async () => {
    const r = await runCli(['train', 'configs/mlp_fashion-mnist.ts', '--work-dir', workDir, '--resume', '--cfg-options', ...FAST, 'train_cfg.max_epochs=2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Auto resumed from the latest checkpoint ${path.join(workDir, 'epoch_1.safetensors')}.`);
    expect(r.stdout).toContain('resumed epoch: 1, iter: 16');
    expect(r.stdout).toMatch(/Epoch\(train\) \[2\]\[ 4\/16\]/);
    expect(r.stdout).not.toMatch(/Epoch\(train\) \[1\]\[/);
    expect(fs.existsSync(path.join(workDir, 'epoch_2.safetensors'))).toBe(true);
  });

  it('trainkit test reports the accuracy of the last validation', async () => {
    const runs = runFolders(workDir);
    const last = runs[runs.length - 1];
    const vals = jsonLines(path.join(last, 'vis_data', 'scalars.json')).filter((l) => 'accuracy/top1' in l);
    const lastAcc = vals[vals.length - 1]['accuracy/top1'];
    const r = await runCli([
      'test',
      'configs/mlp_fashion-mnist.ts',
      path.join(workDir, 'epoch_2.safetensors'),
      '--work-dir',
      workDir,
      '--cfg-options',
      ...FAST,
      'custom_hooks=[]',
    ]);
    expect(r.code).toBe(0);
    const metrics = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    // EMA weights are what validation used; the checkpoint holds them in state_dict
    expect(metrics['accuracy/top1']).toBeCloseTo(lastAcc, 6);
  });
});

describe('CLI behaviours', () => {
  it('--cfg-options overrides reach the run', async () => {
    const workDir = tempDir();
    const r = await runCli([
      'print-config',
      'configs/mlp_fashion-mnist.ts',
      '--cfg-options',
      'train_cfg.max_epochs=7',
      `work_dir=${workDir}`,
      'model.layers.1.units=32',
    ]);
    expect(r.code).toBe(0);
    const cfg = JSON.parse(r.stdout);
    expect(cfg.train_cfg.max_epochs).toBe(7);
    expect(cfg.work_dir).toBe(workDir);
    expect(cfg.model.layers[1].units).toBe(32);
  });

  it('a type whose plugin is not installed names the package to add', async () => {
    // a project folder that has trainkit but neither @trainkit/tasks nor @trainkit/hook-ema (core's
    // registry test covers the hook's hint)
    const dir = tempDir();
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        work_dir: path.join(dir, 'wd'),
        model: { type: 'LayersClassifier', layers: [{ type: 'dense', units: 2, input_shape: [4] }], num_classes: 2 },
        custom_hooks: [{ type: 'EMAHook', momentum: 0.001 }],
        env_cfg: { backend: 'cpu' },
      }),
    );
    const r = await runCli(['train', config], { cwd: dir });
    expect(r.code).toBe(2);
    // the model is built first
    expect(r.stderr).toContain('model.type: "LayersClassifier" is not in the trainkit::model registry');
    expect(r.stderr).toContain('pnpm add @trainkit/tasks');
  });

  it('Ctrl-C in the middle leaves complete logs and a resumable run', async () => {
    const workDir = tempDir();
    const run = startCli([
      'train',
      'configs/mlp_fashion-mnist.ts',
      '--work-dir',
      workDir,
      '--cfg-options',
      ...FAST,
      'train_cfg.max_epochs=3',
      'default_hooks.logger.interval=1',
    ]);
    await waitFor(run.output, (t) => /Epoch\(train\) \[2\]\[ 3\/16\]/.test(t));
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(fs.readFileSync(path.join(workDir, 'last_checkpoint'), 'utf8')).toMatch(/\.safetensors$/);
    const [folder] = runFolders(workDir);
    for (const line of fs
      .readFileSync(path.join(folder, 'vis_data', 'scalars.json'), 'utf8')
      .split('\n')
      .filter(Boolean))
      JSON.parse(line);
    const resumed = await runCli([
      'train',
      'configs/mlp_fashion-mnist.ts',
      '--work-dir',
      workDir,
      '--resume',
      '--cfg-options',
      ...FAST,
      'train_cfg.max_epochs=3',
    ]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/resumed epoch: 1, iter: (1[7-9]|2\d|3[01])\b/);
    expect(fs.existsSync(path.join(workDir, 'epoch_3.safetensors'))).toBe(true);
  });

  it('prints usage and exits 1 without a command; plugins lists installed plugins', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('usage: trainkit <command>');
    const p = await runCli(['plugins', '--json']);
    expect(p.code).toBe(0);
    const names = JSON.parse(p.stdout).plugins.map((x: { name: string }) => x.name);
    expect(names).toEqual(expect.arrayContaining(['@trainkit/optim', '@trainkit/hook-checkpoint', '@trainkit/hook-logger']));
  });
});
