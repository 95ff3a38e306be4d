import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, tempDir } from '../support/cli.js';

/** The project folder the CLI runs in: it has trainkit and the official plugins installed. */
const cwd = path.join(REPO, 'tests');

/** MMEngine's toy run (10 samples, batch 2, one epoch, a checkpoint per epoch) as a JSON config in a fresh folder. */
function toyConfig(extra: Record<string, unknown> = {}): { config: string; workDir: string } {
  const dir = tempDir();
  const workDir = path.join(dir, 'wd');
  const config = path.join(dir, 'toy.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      custom_imports: { imports: ['@trainkit/core/testing'] },
      work_dir: workDir,
      model: { type: 'ToyModel' },
      train_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2 },
      train_cfg: { by_epoch: true, max_epochs: 1, val_interval: 1 },
      val_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2, sampler: { type: 'DefaultSampler', shuffle: false } },
      val_cfg: {},
      val_evaluator: { type: 'ToyMetric' },
      optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 } },
      randomness: { seed: 0 },
      env_cfg: { backend: 'cpu' },
      ...extra,
    }),
  );
  return { config, workDir };
}

/** The config the run dumped (`<work_dir>/<config name>.json`). */
const dumped = (workDir: string) => JSON.parse(fs.readFileSync(path.join(workDir, 'toy.json'), 'utf8'));

describe("MMEngine's tools/train.py flags", () => {
  it('--amp, --auto-scale-lr and --launcher none edit the config as tools/train.py does', async () => {
    const { config, workDir } = toyConfig({ auto_scale_lr: { base_batch_size: 4 } });
    const r = await runCli(['train', config, '--amp', '--auto-scale-lr', '--launcher', 'none'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const cfg = dumped(workDir);
    expect(cfg.optim_wrapper).toMatchObject({ type: 'AmpOptimWrapper', loss_scale: 'dynamic' });
    expect(cfg.auto_scale_lr).toEqual({ base_batch_size: 4, enable: true });
    expect(cfg.launcher).toBe('none');
    expect(r.stdout).toContain('AmpOptimWrapper: TensorFlow.js has no float16 compute on the "cpu" backend, so compute stays float32');
    expect(r.stdout).toContain('LR is set based on batch size of 4 and the current batch size is 2. Scaling the original LR by 0.5.');
  });

  it('refuses what tools/train.py refuses, with the fix', async () => {
    const dict = toyConfig({ optim_wrapper: { type: 'OptimWrapperDict', a: { optimizer: { type: 'SGD', lr: 0.1 } } } });
    const amp = await runCli(['train', dict.config, '--amp'], { cwd });
    expect(amp.code).toBe(2);
    expect(amp.stderr).toContain('optim_wrapper.type: --amp is only supported when the optimizer wrapper type is OptimWrapper, but got "OptimWrapperDict"');
    const noBase = await runCli(['train', toyConfig().config, '--auto-scale-lr'], { cwd });
    expect(noBase.code).toBe(2);
    expect(noBase.stderr).toContain('auto_scale_lr.base_batch_size: --auto-scale-lr scales the lr by batch_size / auto_scale_lr.base_batch_size');
    const launcher = await runCli(['train', toyConfig().config, '--launcher', 'torchrun'], { cwd });
    expect(launcher.code).toBe(2);
    expect(launcher.stderr).toContain('--launcher torchrun is not a launcher');
    expect(launcher.stderr).toContain('use one of none, pytorch, slurm, mpi');
  });

  it("bare --resume and --resume auto resume from work_dir's latest checkpoint, not from the config's load_from", async () => {
    const { config, workDir } = toyConfig();
    expect((await runCli(['train', config], { cwd })).code).toBe(0);
    const first = path.join(workDir, 'epoch_1.safetensors');
    expect(fs.existsSync(first)).toBe(true);
    // a config whose load_from points elsewhere (a pretrained file that does not even exist)
    const withLoad = JSON.parse(fs.readFileSync(config, 'utf8'));
    fs.writeFileSync(config, JSON.stringify({ ...withLoad, load_from: path.join(workDir, 'pretrained.safetensors') }));
    for (const [flags, epochs] of [
      [['--resume'], 2],
      [['--resume', 'auto'], 3],
    ] as const) {
      const r = await runCli(['train', config, ...flags, '--cfg-options', `train_cfg.max_epochs=${epochs}`], { cwd });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Auto resumed from the latest checkpoint ${path.join(workDir, `epoch_${epochs - 1}.safetensors`)}.`);
      expect(r.stdout).toContain(`resumed epoch: ${epochs - 1}, iter: ${5 * (epochs - 1)}`);
    }
  });
});

describe('trainkit val', () => {
  it("evaluates a checkpoint on the validation set and prints the metrics; with MMEngine's usage errors", async () => {
    const { config, workDir } = toyConfig();
    expect((await runCli(['train', config], { cwd })).code).toBe(0);
    const r = await runCli(['val', config, path.join(workDir, 'epoch_1.safetensors')], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Load checkpoint from ${path.join(workDir, 'epoch_1.safetensors')}`);
    // ToyMetric's first value: the val run evaluates once, from the checkpoint's weights
    expect(JSON.parse(r.stdout.trim().split('\n').pop() as string)).toEqual({ 'toy/acc': 0.5 });
    const usage = await runCli(['val', config], { cwd });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('val takes a config file and a checkpoint');
    const help = await runCli(['--help'], { cwd });
    expect(help.stdout).toContain('val CONFIG CKPT       evaluate a checkpoint on the validation set');
  });
});
