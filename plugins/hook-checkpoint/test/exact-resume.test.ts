import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigObject, Runner } from '@trainkit/core';
import '@trainkit/optim';
import '@trainkit/tasks';
import { describe, expect, it } from 'vitest';
import { StopAfter, checkpointFiles, quietRunner, tempDir, toyConfig, weightBytes } from './helpers.js';

/**
 * A classifier with dropout (so the RNG state matters), a stateful optimizer (so optimizer
 * tensors matter), lr schedules by iteration and by epoch (so scheduler state matters) and
 * shuffled data (so the sampler position matters).
 */
function experiment(workDir: string, train_cfg: ConfigObject, optimizer: ConfigObject, extra: ConfigObject = {}): ConfigObject {
  const sampler = train_cfg.type === 'IterBasedTrainLoop' && optimizer.type === 'Adam' ? 'InfiniteSampler' : 'DefaultSampler';
  return toyConfig(workDir, {
    model: {
      type: 'LayersClassifier',
      layers: [
        { type: 'dense', units: 16, activation: 'relu', input_shape: [4] },
        { type: 'dropout', rate: 0.5 },
      ],
      num_classes: 2,
    },
    train_dataloader: { dataset: { type: 'ToyDataset', features: 4 }, batch_size: 2, sampler: { type: sampler, shuffle: true } },
    val_dataloader: null,
    val_cfg: null,
    val_evaluator: null,
    train_cfg,
    optim_wrapper: { type: 'OptimWrapper', optimizer },
    param_scheduler: [
      { type: 'LinearLR', start_factor: 0.25, by_epoch: false, begin: 0, end: 9 },
      { type: 'MultiStepLR', milestones: [1, 2], gamma: 0.5, by_epoch: true },
    ],
    ...extra,
  });
}

async function run(cfg: ConfigObject): Promise<{ runner: Runner; weights: Record<string, Buffer> }> {
  const runner = await quietRunner(cfg);
  try {
    await runner.train();
    return { runner, weights: weightBytes(runner) };
  } finally {
    await runner.dispose();
  }
}

const cases: Array<[string, ConfigObject, ConfigObject, number]> = [
  ['epoch-based, stopped mid-epoch, SGD with momentum', { by_epoch: true, max_epochs: 3 }, { type: 'SGD', lr: 0.1, momentum: 0.9 }, 7],
  ['epoch-based, stopped at an epoch end, Adam', { by_epoch: true, max_epochs: 3 }, { type: 'Adam', lr: 0.01 }, 10],
  ['iter-based, SGD with momentum', { type: 'IterBasedTrainLoop', max_iters: 13, val_interval: 100 }, { type: 'SGD', lr: 0.1, momentum: 0.9 }, 6],
  ['iter-based, InfiniteSampler, Adam', { type: 'IterBasedTrainLoop', max_iters: 13, val_interval: 100 }, { type: 'Adam', lr: 0.01 }, 9],
];

describe('exact resume: N iterations, stop, M more == N+M uninterrupted (bitwise, cpu)', () => {
  for (const [name, trainCfg, optimizer, stopAt] of cases) {
    it(name, async () => {
      const byEpoch = trainCfg.type !== 'IterBasedTrainLoop';
      const ckpt = { checkpoint: { type: 'CheckpointHook', interval: byEpoch ? 1 : 4, by_epoch: byEpoch } };
      const straight = await run(experiment(tempDir(), trainCfg, optimizer, { default_hooks: ckpt }));

      const wd = tempDir();
      const stopped = await run(experiment(wd, trainCfg, optimizer, { default_hooks: ckpt, custom_hooks: [new StopAfter(stopAt)] }));
      expect(stopped.runner.iter).toBe(stopAt);
      const last = fs.readFileSync(path.join(wd, 'last_checkpoint'), 'utf8');
      const atBoundary = byEpoch ? stopAt % 5 === 0 : stopAt % 4 === 0;
      expect(path.basename(last)).toBe(
        atBoundary ? `${byEpoch ? 'epoch' : 'iter'}_${byEpoch ? stopAt / 5 : stopAt}.safetensors` : `interrupted_iter_${stopAt}.safetensors`,
      );

      const resumed = await run(experiment(wd, trainCfg, optimizer, { default_hooks: ckpt, resume: true }));
      expect(resumed.runner.iter).toBe(straight.runner.iter);
      expect(Object.keys(resumed.weights)).toEqual(Object.keys(straight.weights));
      for (const k of Object.keys(straight.weights)) expect(resumed.weights[k].equals(straight.weights[k]), k).toBe(true);
      // the mid-epoch checkpoint was superseded by a regular one and removed
      expect(checkpointFiles(wd).some((f) => f.startsWith('interrupted_'))).toBe(false);
    });
  }

  it('resume from a chosen regular checkpoint (resume: <path>) continues exactly', async () => {
    const trainCfg = { by_epoch: true, max_epochs: 3 };
    const optimizer = { type: 'SGD', lr: 0.1, momentum: 0.9 };
    const wd = tempDir();
    const straight = await run(experiment(wd, trainCfg, optimizer));
    const again = await run(experiment(tempDir(), trainCfg, optimizer, { resume: path.join(wd, 'epoch_1.safetensors') }));
    for (const k of Object.keys(straight.weights)) expect(again.weights[k].equals(straight.weights[k]), k).toBe(true);
  });
});
