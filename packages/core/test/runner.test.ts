import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConfigError, HOOKS, Hook, type LogVars, type Runner, createRunner } from '../src/index.js';
import { tempDir, toyConfig } from '../src/testing/index.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');

/** Records every train loss a run computes. */
class LossRecorder extends Hook {
  static losses: number[] = [];
  override afterTrainIter(_r: Runner, _i: number, _b: unknown, outputs?: LogVars): void {
    if (outputs) LossRecorder.losses.push((outputs.loss as tf.Scalar).dataSync()[0]);
  }
}
HOOKS.register('LossRecorder', LossRecorder, { force: true });

class LeakyHook extends Hook {
  override afterTrainIter(): void {
    tf.scalar(1);
  }
}
HOOKS.register('LeakyHook', LeakyHook, { force: true });

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('Runner', () => {
  it('trains with validation, logs the hook order and leaves its run folder', async () => {
    const workDir = tempDir();
    const runner = await createRunner(toyConfig(workDir, { experiment_name: 'toyexp', log_level: 'INFO' }));
    await runner.train();
    expect(runner.epoch).toBe(2);
    expect(runner.iter).toBe(10);
    const stamp = path.basename(runner.logDir);
    const log = fs.readFileSync(path.join(runner.logDir, `${stamp}.log`), 'utf8');
    expect(log).toContain('Hooks will be executed in the following order:');
    expect(log).toContain('before_run:\n(VERY_HIGH   ) RuntimeInfoHook\n --------------------');
    expect(runner.experimentName).toBe(`toyexp_${stamp}`);
    expect(runner.messageHub.getScalar('val/toy/acc').current()).toBe(0.7);
    expect(JSON.parse(fs.readFileSync(path.join(workDir, `${stamp}.json`), 'utf8')).model.type).toBe('ToyModel');
    expect(fs.existsSync(path.join(runner.logDir, 'vis_data', 'config.json'))).toBe(true);
    await runner.dispose();
  });

  it('keeps tf.memory().numTensors flat across 1,000 iterations (leak guard on)', async () => {
    const runner = await createRunner(toyConfig(tempDir(), { train_cfg: { by_epoch: false, max_iters: 1000, val_interval: 250 } }));
    const counts: number[] = [];
    class Probe extends Hook {
      override afterTrainIter(r: Runner): void {
        if ((r.iter + 1) % 100 === 0) counts.push(tf.memory().numTensors);
      }
    }
    runner.registerHook(new Probe());
    await runner.train();
    expect(runner.iter).toBe(1000);
    expect(new Set(counts.slice(1)).size).toBe(1);
    await runner.dispose();
  });

  it('produces identical loss sequences for two runs with the same seed', async () => {
    const run = async () => {
      LossRecorder.losses = [];
      const runner = await createRunner(toyConfig(tempDir(), { custom_hooks: [{ type: 'LossRecorder' }], randomness: { seed: 7 } }));
      await runner.train();
      await runner.dispose();
      return [...LossRecorder.losses];
    };
    const a = await run();
    const b = await run();
    expect(a).toHaveLength(10);
    expect(a).toEqual(b);
  });

  it('names the hook and hook point that leak a tensor', async () => {
    const runner = await createRunner(toyConfig(tempDir(), { custom_hooks: [{ type: 'LeakyHook' }] }));
    const err = await errorOf(runner.train());
    expect(err.message).toContain('tensor leak: LeakyHook.afterTrainIter left 1 tensor(s) alive');
    await runner.dispose();
  });

  it('stops after the current iteration when asked and still runs afterTrain / afterRun', async () => {
    const seen: string[] = [];
    class Stopper extends Hook {
      override afterTrainIter(r: Runner): void {
        if (r.iter === 2) r.requestStop();
      }
      override afterTrain(): void {
        seen.push('afterTrain');
      }
      override afterRun(): void {
        seen.push('afterRun');
      }
    }
    const runner = await createRunner(toyConfig(tempDir()));
    runner.registerHook(new Stopper());
    await runner.train();
    expect(runner.iter).toBe(3);
    expect(seen).toEqual(['afterTrain', 'afterRun']);
    await runner.dispose();
  });

  it('imports custom_imports files (relative to the config) before building', async () => {
    const cfg = toyConfig(tempDir(), {
      custom_imports: { imports: [path.join(fixtures, 'plugins/registers-hook.ts')] },
      custom_hooks: [{ type: 'CountingHook' }],
    });
    const runner = await createRunner(cfg);
    await runner.train();
    expect((runner.hooks.find((h) => h.displayName === 'CountingHook') as unknown as { calls: number }).calls).toBe(10);
    await runner.dispose();
  });
});

describe('bad configs fail with the path and the fix', () => {
  it('unknown type', async () => {
    const err = await errorOf(createRunner(toyConfig(tempDir(), { custom_hooks: [{ type: 'LossRecordr' }] })));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('custom_hooks.0.type: "LossRecordr" is not in the trainkit::hook registry');
    expect(err.message).toContain('did you mean "LossRecorder"?');
  });

  it('unknown option', async () => {
    const err = await errorOf(createRunner(toyConfig(tempDir(), { train_cfg: { by_epoch: true, max_epochs: 2, val_intervl: 1 } })).then((r) => r.train()));
    expect(err.message).toContain('train_cfg.val_intervl: unknown option "val_intervl" for EpochBasedTrainLoop. Did you mean "val_interval"?');
  });

  it('wrong type', async () => {
    const err = await errorOf(createRunner(toyConfig(tempDir(), { train_cfg: { by_epoch: true, max_epochs: 'two' } })).then((r) => r.train()));
    expect(err.message).toContain('train_cfg.max_epochs: invalid value for EpochBasedTrainLoop');
    expect(err.message).toContain('found: "two"');
    expect(err.message).toContain('fix: give a number');
  });

  it('incomplete train triplet', async () => {
    const err = await errorOf(createRunner(toyConfig(tempDir(), { optim_wrapper: undefined })));
    expect(err.message).toContain('optim_wrapper: train_dataloader, train_cfg, optim_wrapper should be either all set or all unset');
    expect(err.message).toContain('fix: add optim_wrapper');
  });

  it('failing custom import', async () => {
    const err = await errorOf(createRunner(toyConfig(tempDir(), { custom_imports: { imports: [path.join(fixtures, 'plugins/throws-on-import.ts')] } })));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('custom_imports.imports.0: cannot import');
    expect(err.message).toContain('this module is broken on purpose');
    expect(err.message).toContain('allow_failed_imports: true');
    // allowed to fail: goes on
    const runner = await createRunner(
      toyConfig(tempDir(), { custom_imports: { imports: [path.join(fixtures, 'plugins/throws-on-import.ts')], allow_failed_imports: true } }),
    );
    await runner.dispose();
  });

  it('missing package in custom_imports names the install command', async () => {
    const err = await errorOf(createRunner(toyConfig(tempDir(), { custom_imports: { imports: ['trainkit-plugin-that-does-not-exist'] } })));
    expect(err.message).toContain('pnpm add trainkit-plugin-that-does-not-exist');
  });

  it('missing work_dir', async () => {
    const err = await errorOf(createRunner(toyConfig('', {})));
    expect(err.message).toContain('work_dir: work_dir is required');
  });

  it('bad priority', async () => {
    const err = await errorOf(createRunner(toyConfig(tempDir(), { custom_hooks: [{ type: 'LossRecorder', priority: 'SOMETIMES' }] })));
    expect(err.message).toContain('custom_hooks.0.priority: unknown priority');
  });
});
