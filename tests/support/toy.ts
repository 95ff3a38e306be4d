import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// registers the types the classifier configs below name, for the tests that build them in-process
import '@trainkit/tasks';

export const CONFIGS = path.join(import.meta.dirname, '../fixtures/configs');

/** A short toy run (MMEngine's seed setup) written as a JSON config in the fixtures folder. */
export function writeToyConfig(name: string, extra: Record<string, unknown>): string {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-e2e-'));
  const file = path.join(CONFIGS, `${name}.generated.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      work_dir: workDir,
      model: { type: 'ToyModel' },
      train_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2 },
      train_cfg: { by_epoch: true, max_epochs: 1 },
      optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 } },
      env_cfg: { backend: 'cpu' },
      log_level: 'WARNING',
      ...extra,
    }),
  );
  return file;
}

/**
 * A small classifier trained by iterations with every default hook at work: validation,
 * logging, checkpoints, a scheduler and clipping.
 */
export function classifierRunConfig(workDir: string, o: { backend: string; iters: number; every: number; logInterval: number }): Record<string, unknown> {
  return {
    work_dir: workDir,
    randomness: { seed: 3 },
    model: {
      type: 'LayersClassifier',
      layers: [
        { type: 'dense', units: 16, activation: 'relu', input_shape: [2] },
        { type: 'dropout', rate: 0.1 },
      ],
      num_classes: 2,
    },
    train_dataloader: { dataset: { type: 'ToyDataset', length: 64 }, batch_size: 8, sampler: { type: 'InfiniteSampler' } },
    train_cfg: { by_epoch: false, max_iters: o.iters, val_interval: o.every },
    val_dataloader: { dataset: { type: 'ToyDataset', length: 16 }, batch_size: 8 },
    val_cfg: {},
    val_evaluator: { type: 'Accuracy' },
    optim_wrapper: { optimizer: { type: 'SGD', lr: 0.05, momentum: 0.9 }, clip_grad: { max_norm: 5 } },
    param_scheduler: [{ type: 'LinearLR', start_factor: 0.1, by_epoch: false, end: 100 }],
    default_hooks: {
      logger: { type: 'LoggerHook', interval: o.logInterval },
      checkpoint: { type: 'CheckpointHook', by_epoch: false, interval: o.every, max_keep_ckpts: 2 },
    },
    env_cfg: { backend: o.backend },
    log_level: 'WARNING',
  };
}
