/**
 * Child process of the kill-during-save test: trains the toy model and saves a checkpoint every
 * iteration, each carrying a 32 MB extra tensor so that writing it takes long enough to be
 * killed in the middle.
 */
import * as tf from '@tensorflow/tfjs';
import type { Checkpoint } from '@trainkit/core/checkpoint';
import { Hook, type Runner, createRunner } from '@trainkit/core';
import { toyConfig } from '@trainkit/core/testing';
import '../../src/index.js';

class Ballast extends Hook {
  readonly ballast = tf.zeros([8 * 1024 * 1024]);
  override beforeSaveCheckpoint(_runner: Runner, checkpoint: Checkpoint): void {
    checkpoint.ballast = this.ballast;
  }
}

const workDir = process.argv[2];
const runner = await createRunner(
  toyConfig(workDir, {
    train_cfg: { type: 'IterBasedTrainLoop', max_iters: 1000, val_interval: 100000 },
    val_dataloader: null,
    val_cfg: null,
    val_evaluator: null,
    custom_hooks: [new Ballast()],
    default_hooks: { logger: null, param_scheduler: null, checkpoint: { type: 'CheckpointHook', by_epoch: false, interval: 1 } },
    log_level: 'ERROR',
  }),
);
await runner.train();
