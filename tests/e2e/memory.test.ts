import '@trainkit/core/testing';
import '@trainkit/hook-checkpoint';
import '@trainkit/hook-logger';
import '@trainkit/optim';
import * as tf from '@tensorflow/tfjs';
import { Hook, type Runner, createRunner } from '@trainkit/core';
import { expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';

/** Samples tf.memory().numTensors every 100 iterations. */
class TensorCount extends Hook {
  readonly counts: number[] = [];
  override afterTrainIter(runner: Runner): void {
    if ((runner.iter + 1) % 100 === 0) this.counts.push(tf.memory().numTensors);
  }
}

it('keeps tf.memory().numTensors flat over 1,000 iterations with every default hook on', async () => {
  const runner = await createRunner({
    work_dir: tempDir(),
    model: {
      type: 'LayersClassifier',
      layers: [
        { type: 'dense', units: 16, activation: 'relu', input_shape: [2] },
        { type: 'dropout', rate: 0.1 },
      ],
      num_classes: 2,
    },
    train_dataloader: { dataset: { type: 'ToyDataset', length: 64 }, batch_size: 8, sampler: { type: 'InfiniteSampler' } },
    train_cfg: { by_epoch: false, max_iters: 1000, val_interval: 250 },
    val_dataloader: { dataset: { type: 'ToyDataset', length: 16 }, batch_size: 8 },
    val_cfg: {},
    val_evaluator: { type: 'Accuracy' },
    optim_wrapper: { optimizer: { type: 'SGD', lr: 0.05, momentum: 0.9 }, clip_grad: { max_norm: 5 } },
    param_scheduler: [{ type: 'LinearLR', start_factor: 0.1, by_epoch: false, end: 100 }],
    default_hooks: {
      logger: { type: 'LoggerHook', interval: 10 },
      checkpoint: { type: 'CheckpointHook', by_epoch: false, interval: 250, max_keep_ckpts: 2 },
    },
    env_cfg: { backend: 'cpu' },
    log_level: 'WARNING',
  });
  expect(runner.hooks.map((h) => h.displayName)).toEqual([
    'RuntimeInfoHook',
    'IterTimerHook',
    'DistSamplerSeedHook',
    'LoggerHook',
    'ParamSchedulerHook',
    'CheckpointHook',
  ]);
  const probe = new TensorCount();
  runner.registerHook(probe, 'LOWEST');
  await runner.train();
  expect(runner.iter).toBe(1000);
  expect(probe.counts).toHaveLength(10);
  expect(new Set(probe.counts).size).toBe(1);
  await runner.dispose();
});
