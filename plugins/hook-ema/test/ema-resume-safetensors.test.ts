import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { type Runner, createRunner } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import { SafetensorsCheckpoint } from '@trainkit/hook-checkpoint';
import { afterEach, describe, expect, it } from 'vitest';
import '../src/index.js';
import { emaOf, weightsOf } from './fixtures-real.js';

const runners: Runner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) {
    await r.dispose();
    emaOf(r)?.dispose();
  }
});

/** The toy run with the real CheckpointHook (every epoch, safetensors files) and EMAHook. */
async function run(workDir: string, extra: Record<string, unknown> = {}): Promise<Runner> {
  const runner = await createRunner(
    toyConfig(workDir, {
      train_cfg: { by_epoch: true, max_epochs: 4 },
      default_hooks: { logger: null, param_scheduler: null, checkpoint: { type: 'CheckpointHook', interval: 1 } },
      custom_hooks: [{ type: 'EMAHook', momentum: 0.2, interval: 2 }],
      // the guard counts the averaged weights EMAHook holds as a leak of beforeRun (see README)
      env_cfg: { backend: 'cpu' },
      ...extra,
    }),
  );
  runners.push(runner);
  await runner.train();
  return runner;
}

const state = (r: Runner) => ({ model: weightsOf(r.model.namedParameters()), ema: weightsOf(emaOf(r).emaModel!.module), steps: emaOf(r).emaModel!.steps });

describe('EMAHook with @trainkit/hook-checkpoint', () => {
  it('writes ema_state_dict into safetensors checkpoints and resumes exactly from them', async () => {
    const dirA = tempDir();
    const full = state(await run(dirA));

    const file = path.join(dirA, 'epoch_2.safetensors');
    const saved = await new SafetensorsCheckpoint().load(file);
    const ema = saved.ema_state_dict as Record<string, tf.Tensor>;
    expect(Object.keys(ema).sort()).toEqual(['module.linear.bias', 'module.linear.weight', 'steps']);
    expect(ema.steps.dataSync()[0]).toBe(10);

    const b = await run(tempDir(), { resume: true, load_from: file });
    expect(b.iter).toBe(20);
    expect(state(b)).toEqual(full);
    for (const t of [...Object.values(saved.state_dict), ...Object.values(ema)]) t.dispose();
  });
});
