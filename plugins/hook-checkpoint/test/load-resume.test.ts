import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Checkpoint, loadCheckpoint } from '@trainkit/core/checkpoint';
import { Hook, type Runner } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import { SafetensorsCheckpoint, readCheckpointFile } from '../src/index.js';
import { checkpoint, quietRunner, tempDir, tf, toy, trainToy, weightBytes } from './helpers.js';

const epochs = (n: number) => ({ train_cfg: { by_epoch: true, max_epochs: n } });

/** Records the weights and counters training starts from (after load/resume). */
class StartProbe extends Hook {
  weights: Record<string, Buffer> = {};
  at: [number, number] | undefined;
  override beforeTrain(runner: Runner): void {
    this.weights = weightBytes(runner);
    this.at = [runner.epoch, runner.iter];
  }
}

async function fileWeights(file: string): Promise<Record<string, Buffer>> {
  const ckpt = await readCheckpointFile(file);
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(ckpt.state_dict)) out[k] = Buffer.from((v.dataSync() as Float32Array).slice().buffer);
  for (const t of Object.values(ckpt.state_dict)) t.dispose();
  return out;
}

/** Two epochs with a checkpoint per epoch, in a fresh work_dir. */
async function twoEpochs(): Promise<string> {
  const wd = tempDir();
  await trainToy(wd, { ...epochs(2), default_hooks: checkpoint({ interval: 1 }) });
  return wd;
}

describe('load / resume decision table', () => {
  it('resume=false, no load_from: weights from init, nothing loaded', async () => {
    const probe = new StartProbe();
    const { log } = await trainToy(tempDir(), { ...epochs(1), custom_hooks: [probe] });
    expect(log).not.toContain('Load checkpoint from');
    expect(probe.at).toEqual([0, 0]);
  });

  it('load_from without resume: weights only, counters start at 0', async () => {
    const src = path.join(await twoEpochs(), 'epoch_1.safetensors');
    const probe = new StartProbe();
    const { log } = await trainToy(tempDir(), { ...epochs(1), load_from: src, custom_hooks: [probe] });
    expect(log).toContain(`Load checkpoint from ${src}`);
    expect(log).not.toContain('resumed epoch');
    expect(probe.at).toEqual([0, 0]);
    expect(probe.weights).toEqual(await fileWeights(src));
  });

  it('resume=true without load_from: the latest checkpoint of work_dir (auto-resume)', async () => {
    const wd = await twoEpochs();
    const probe = new StartProbe();
    const { log } = await trainToy(wd, { ...epochs(3), resume: true, custom_hooks: [probe] });
    expect(log).toContain(`Auto resumed from the latest checkpoint ${path.join(wd, 'epoch_2.safetensors')}.`);
    expect(probe.at).toEqual([2, 10]);
  });

  it('resume=true with load_from (or resume=<path>): resumes from that file', async () => {
    const src = path.join(await twoEpochs(), 'epoch_1.safetensors');
    for (const overrides of [{ resume: true, load_from: src }, { resume: src }]) {
      const probe = new StartProbe();
      const { log } = await trainToy(tempDir(), { ...epochs(3), ...overrides, custom_hooks: [probe] });
      expect(log).toContain('resumed epoch: 1, iter: 5');
      expect(probe.at).toEqual([1, 5]);
      expect(probe.weights).toEqual(await fileWeights(src));
    }
  });

  it('auto-resume skips a broken newest checkpoint with a warning and uses the previous one', async () => {
    const wd = tempDir();
    await trainToy(wd, { ...epochs(3), default_hooks: checkpoint({ interval: 1 }) });
    const newest = path.join(wd, 'epoch_3.safetensors');
    const bytes = fs.readFileSync(newest);
    bytes[bytes.length - 5] ^= 0x40; // one flipped bit in the weights
    fs.writeFileSync(newest, bytes);
    const second = path.join(wd, 'epoch_2.safetensors');
    fs.truncateSync(second, fs.statSync(second).size - 100);
    const probe = new StartProbe();
    const { log } = await trainToy(wd, { ...epochs(4), resume: true, custom_hooks: [probe] });
    expect(log).toMatch(/WARNING - checkpoint .*epoch_3\.safetensors is broken \(.*checksum mismatch.*\); trying the previous one/);
    expect(log).toMatch(/WARNING - checkpoint .*epoch_2\.safetensors is broken \(.*truncated.*\); trying the previous one/);
    expect(log).toContain(`Auto resumed from the latest checkpoint ${path.join(wd, 'epoch_1.safetensors')}.`);
    expect(probe.at).toEqual([1, 5]);
  });

  it('reports missing and unexpected keys; strict and prefix through loadCheckpoint', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'partial.safetensors');
    const w = tf.tensor2d([[0.25], [0.5]]);
    await new SafetensorsCheckpoint().save(file, { meta: { epoch: 0, iter: 0 }, state_dict: { 'module.linear.weight': w, 'extra.w': tf.zeros([3]) } });
    const { log } = await trainToy(tempDir(), { ...epochs(1), load_from: file });
    expect(log).toContain(
      'The model and loaded state dict do not match exactly\nunexpected key in source state_dict: extra.w\nmissing keys in source state_dict: linear.bias',
    );

    const runner = await quietRunner(toy(tempDir()));
    const before = tf.memory().numTensors;
    await expect(loadCheckpoint(runner, file, { strict: true })).rejects.toThrow(/strict load/);
    expect(tf.memory().numTensors).toBe(before);
    const prefixed = path.join(dir, 'detector.safetensors');
    await new SafetensorsCheckpoint().save(prefixed, {
      meta: { epoch: 0, iter: 0 },
      state_dict: { 'backbone.linear.weight': w, 'backbone.linear.bias': tf.ones([1]), 'head.x': tf.ones([1]) },
    });
    const ckpt = await loadCheckpoint(runner, prefixed, { prefix: 'backbone.', strict: true });
    expect(Array.from(runner.model.stateDict()['linear.weight'].dataSync())).toEqual([0.25, 0.5]);
    for (const t of Object.values(ckpt.state_dict)) t.dispose();
    await runner.dispose();
  });

  it('before_save_checkpoint adds state that after_load_checkpoint reads back', async () => {
    // like EMAHook: state the hook owns, handed to the checkpoint by reference
    class Extra extends Hook {
      loaded: unknown;
      readonly table = tf.tensor1d([1, 2, 3]);
      override beforeSaveCheckpoint(_r: Runner, ckpt: Checkpoint): void {
        ckpt.extra_state = { counter: 3, table: this.table };
      }
      override afterLoadCheckpoint(_r: Runner, ckpt: Checkpoint): void {
        const e = ckpt.extra_state as { counter: number; table: tf.Tensor };
        this.loaded = { counter: e.counter, table: Array.from(e.table.dataSync()) };
      }
    }
    const wd = tempDir();
    const saver = new Extra();
    await trainToy(wd, { ...epochs(1), custom_hooks: [saver], default_hooks: checkpoint({ interval: 1 }) });
    const loader = new Extra();
    await trainToy(wd, { ...epochs(2), resume: true, custom_hooks: [loader] });
    expect(loader.loaded).toEqual({ counter: 3, table: [1, 2, 3] });
    saver.table.dispose();
    loader.table.dispose();
  });
});
