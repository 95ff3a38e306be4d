import * as tf from '@tensorflow/tfjs';
import { type ConfigObject, Hook, type Runner, createRunner } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
// importing the package registers its types (as a config's custom_imports would)
import '@trainkit/optim';
import { OptimWrapper, SGD } from '../src/index.js';
import { registerMemoryCheckpoint } from './helpers/memory-checkpoint.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerMemoryCheckpoint();
});

/** The toy run of MMEngine's seeds (10 samples, batch 2: 5 iterations an epoch) with our optimizer. */
function config(overrides: ConfigObject): ConfigObject {
  return toyConfig(tempDir(), {
    optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1, momentum: 0.9 } },
    train_cfg: { by_epoch: true, max_epochs: 4, val_interval: 1 },
    // the logger and checkpoint hooks live in other plugins; this suite needs only the optimizer
    default_hooks: { logger: null, checkpoint: null },
    log_level: 'ERROR',
    ...overrides,
  });
}

/** Asks the runner to stop once `epochs` epochs are done (as Ctrl-C would, between iterations). */
class StopAfterEpoch extends Hook {
  constructor(readonly epochs: number) {
    super();
  }
  override afterTrainEpoch(runner: Runner): void {
    if (runner.epoch + 1 === this.epochs) runner.requestStop();
  }
}

function history(runner: Runner, key: string): number[] {
  return runner.messageHub.getScalar(key).data().values;
}

describe('a full run through createRunner', () => {
  it('logs the lr of every iteration as the chained schedulers set it (seed 32)', async () => {
    const runner = await createRunner(
      config({
        param_scheduler: [
          { type: 'LinearLR', start_factor: 0.1, by_epoch: false, begin: 0, end: 3 },
          { type: 'MultiStepLR', milestones: [2, 3], by_epoch: true },
        ],
      }),
    );
    await runner.train();
    expect(runner.optimWrapper).toBeInstanceOf(OptimWrapper);
    expect((runner.optimWrapper as OptimWrapper).optimizer).toBeInstanceOf(SGD);
    const lr = history(runner, 'train/lr');
    const want = [0.01, 0.055, 0.1, 0.1, 0.1, ...Array(5).fill(0.1), ...Array(5).fill(0.01), ...Array(5).fill(0.001)];
    expect(lr).toHaveLength(20);
    lr.forEach((v, i) => {
      expect(v, `iteration ${i + 1}`).toBeCloseTo(want[i], 12);
    });
    expect(runner.hooks.map((h) => h.displayName)).toContain('ParamSchedulerHook');
    await runner.dispose();
  });

  it('logs grad_norm right after the lr, scales the lr with auto_scale_lr, and reduces it on a validation plateau', async () => {
    const runner = await createRunner(
      config({
        optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1, momentum: 0.9 }, clip_grad: { max_norm: 10 } },
        auto_scale_lr: { base_batch_size: 4, enable: true },
        param_scheduler: [{ type: 'ReduceOnPlateauLR', monitor: 'toy/acc', rule: 'greater', patience: 0, factor: 0.5 }],
      }),
    );
    await runner.train();
    // the wrapper's norm lands between what hooks record before the step and the losses, as in MMEngine
    const keys = [...runner.messageHub.logScalars.keys()].filter((k) => k.startsWith('train/') && !k.endsWith('time'));
    expect(keys).toEqual(['train/lr', 'train/grad_norm', 'train/loss', 'train/loss_aux']);
    expect(history(runner, 'train/grad_norm')).toHaveLength(20);
    // 0.1 * 2 / 4, then halved after epoch 3's validation (acc 0.7 -> 0.6)
    const lr = history(runner, 'train/lr');
    expect([lr[0], lr[10], lr[15]]).toEqual([0.05, 0.05, 0.025]);
    await runner.dispose();
  });

  it('resumes exactly: 10 iterations, checkpoint, a new runner resumes for 10 more == 20 straight', async () => {
    const common = {
      // a window that divides 10, or the pending gradients at the checkpoint are lost (as in MMEngine)
      optim_wrapper: { optimizer: { type: 'AdamW', lr: 0.05 }, clip_grad: { max_norm: 1 }, accumulative_counts: 2 },
      param_scheduler: [
        { type: 'LinearLR', start_factor: 0.2, by_epoch: false, end: 4 },
        { type: 'CosineAnnealingLR', T_max: 3, begin: 1, end: 4, convert_to_iter_based: true },
        { type: 'LinearMomentum', start_factor: 0.9, by_epoch: false, end: 12 },
      ],
    };
    const straight = await createRunner(config(common));
    await straight.train();

    // the same run, stopped after its second epoch
    const first = await createRunner(config({ ...common, custom_hooks: [new StopAfterEpoch(2)] }));
    await first.train();
    expect(first.iter).toBe(10);
    const file = await first.saveCheckpoint(first.workDir, 'epoch_2.memckpt');
    await first.dispose();

    const second = await createRunner(config({ ...common, resume: file }));
    await second.train();
    expect(second.iter).toBe(20);
    const weights = (r: Runner) => r.model.namedParameters().map(([, v]) => Array.from(v.dataSync()));
    expect(weights(second)).toEqual(weights(straight));
    expect(second.optimWrapper!.getLr()).toEqual(straight.optimWrapper!.getLr());
    expect(second.optimWrapper!.getMomentum()).toEqual(straight.optimWrapper!.getMomentum());
    await straight.dispose();
    await second.dispose();
  });
});
