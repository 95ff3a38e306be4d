import * as fs from 'node:fs';
import * as path from 'node:path';
import { Hook, RunInterruptedError, type Runner } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import { readCheckpointFile } from '../src/index.js';
import { StopAfter, checkpoint, checkpointFiles, logOf, quietRunner, tempDir, toy, trainToy } from './helpers.js';

const epochs = (n: number) => ({ train_cfg: { by_epoch: true, max_epochs: n } });
/** last_checkpoint holds a path relative to work_dir. */
const lastCheckpoint = (wd: string) => path.resolve(wd, fs.readFileSync(path.join(wd, 'last_checkpoint'), 'utf8'));

/** Throws at iteration `at` from the given hook point. */
function failAt(point: 'beforeTrainIter' | 'afterTrainIter' | 'afterTrainEpoch' | 'afterValEpoch', at: number, priority = 'NORMAL') {
  const hook = new (class extends Hook {})();
  hook.priority = priority as never;
  (hook as unknown as Record<string, (r: Runner) => void>)[point] = (r: Runner) => {
    if (r.iter === at) throw new Error(`boom at ${point}`);
  };
  return hook;
}

async function trainExpectingError(wd: string, overrides: Record<string, unknown>): Promise<{ error: unknown; log: string }> {
  const runner = await quietRunner(toy(wd, overrides));
  let error: unknown;
  await runner.train().catch((e) => (error = e));
  await runner.dispose();
  return { error, log: logOf(runner) };
}

describe('save_on_interrupt', () => {
  it('SIGTERM: stops after the iteration and saves a resumable mid-epoch checkpoint', async () => {
    const wd = tempDir();
    const term = new (class extends Hook {
      override afterTrainIter(r: Runner): void {
        if (r.iter + 1 === 7) process.emit('SIGTERM', 'SIGTERM');
      }
    })();
    const runner = await quietRunner(toy(wd, { ...epochs(3), custom_hooks: [term], default_hooks: checkpoint({ interval: 1 }) }), { handleSignals: true });
    await expect(runner.train()).rejects.toBeInstanceOf(RunInterruptedError);
    await runner.dispose();
    const file = path.join(wd, 'interrupted_iter_7.safetensors');
    expect(lastCheckpoint(wd)).toBe(file);
    const ckpt = await readCheckpointFile(file);
    expect([ckpt.meta.epoch, ckpt.meta.iter]).toEqual([1, 7]);
    expect(Object.keys(ckpt)).toContain('optimizer');
    expect(logOf(runner)).toContain('Training stopped by SIGTERM: saving a resumable checkpoint at epoch 1, iteration 7');
    // resuming continues mid-epoch and the interrupt file goes once a regular checkpoint supersedes it
    const { log } = await trainToy(wd, { ...epochs(3), resume: true, default_hooks: checkpoint({ interval: 1 }) });
    expect(log).toContain('resumed epoch: 1, iter: 7');
    expect(log).toContain(`Removed ${file}: a newer checkpoint supersedes it`);
    expect(checkpointFiles(wd)).toEqual(['epoch_1.safetensors', 'epoch_2.safetensors', 'epoch_3.safetensors']);
  });

  it('save_on_interrupt=false saves nothing extra', async () => {
    const wd = tempDir();
    await trainToy(wd, { ...epochs(3), custom_hooks: [new StopAfter(7)], default_hooks: checkpoint({ interval: 1, save_on_interrupt: false }) });
    expect(checkpointFiles(wd)).toEqual(['epoch_1.safetensors']);
    expect(lastCheckpoint(wd)).toBe(path.join(wd, 'epoch_1.safetensors'));
  });

  it('a stop right after a regular checkpoint does not save the same state twice', async () => {
    const wd = tempDir();
    const { log } = await trainToy(wd, { ...epochs(3), custom_hooks: [new StopAfter(10)], default_hooks: checkpoint({ interval: 1 }) });
    expect(checkpointFiles(wd)).toEqual(['epoch_1.safetensors', 'epoch_2.safetensors']);
    expect(log).toContain('the state at iteration 10 is already in a checkpoint');
  });

  it('a crash between iterations saves a checkpoint, and the error still surfaces', async () => {
    const wd = tempDir();
    const { error, log } = await trainExpectingError(wd, {
      ...epochs(3),
      custom_hooks: [failAt('beforeTrainIter', 7)],
      default_hooks: checkpoint({ interval: 1 }),
    });
    expect(String(error)).toContain('boom at beforeTrainIter');
    expect(log).toContain('The run failed (boom at beforeTrainIter): saving a resumable checkpoint at epoch 1, iteration 7');
    expect(lastCheckpoint(wd)).toBe(path.join(wd, 'interrupted_iter_7.safetensors'));
  });

  it('a crash during validation saves one too (the epoch is complete)', async () => {
    const wd = tempDir();
    const { log } = await trainExpectingError(wd, { ...epochs(3), custom_hooks: [failAt('afterValEpoch', 5)], default_hooks: checkpoint({ interval: 2 }) });
    expect(log).toContain('saving a resumable checkpoint at epoch 1, iteration 5');
    const ckpt = await readCheckpointFile(path.join(wd, 'interrupted_iter_5.safetensors'));
    expect([ckpt.meta.epoch, ckpt.meta.iter]).toEqual([1, 5]);
  });

  it('a crash inside an iteration or the end-of-epoch hooks saves nothing (the state may be half-updated)', async () => {
    for (const [point, at] of [
      ['afterTrainIter', 7],
      ['afterTrainEpoch', 10],
    ] as const) {
      const wd = tempDir();
      const { error, log } = await trainExpectingError(wd, {
        ...epochs(3),
        custom_hooks: [failAt(point, at, 'LOWEST')],
        default_hooks: checkpoint({ interval: 1 }),
      });
      expect(String(error)).toContain(`boom at ${point}`);
      expect(log).toContain('no checkpoint is saved');
      expect(checkpointFiles(wd).some((f) => f.startsWith('interrupted_'))).toBe(false);
    }
  });
});
