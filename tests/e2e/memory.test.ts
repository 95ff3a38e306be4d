import '@trainkit/core/testing';
import '@trainkit/hook-checkpoint';
import '@trainkit/hook-logger';
import '@trainkit/optim';
import * as tf from '@tensorflow/tfjs';
import { Hook, type Runner, createRunner } from '@trainkit/core';
import { expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { classifierRunConfig } from '../support/toy.js';

/** Samples tf.memory().numTensors every 100 iterations. */
class TensorCount extends Hook {
  readonly counts: number[] = [];
  override afterTrainIter(runner: Runner): void {
    if ((runner.iter + 1) % 100 === 0) this.counts.push(tf.memory().numTensors);
  }
}

it('keeps tf.memory().numTensors flat over 1,000 iterations with every default hook on', async () => {
  const runner = await createRunner(classifierRunConfig(tempDir(), { backend: 'cpu', iters: 1000, every: 250, logInterval: 10 }));
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
