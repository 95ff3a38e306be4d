import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointError } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import { SafetensorsCheckpoint } from '../src/index.js';
import { tempDir, tf } from './helpers.js';

const format = new SafetensorsCheckpoint();

describe('SafetensorsCheckpoint', () => {
  it('round-trips tensors anywhere in the checkpoint and JSON state', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.safetensors');
    const w = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const ckpt = {
      meta: { epoch: 1, iter: 5, best: Number.NEGATIVE_INFINITY, nan: Number.NaN },
      state_dict: { 'linear.weight': w, 'linear.bias': tf.tensor1d([0.5]), steps: tf.scalar(3, 'int32'), mask: tf.tensor1d([1, 0, 1], 'bool') },
      optimizer: { state: { 0: { momentum_buffer: tf.tensor1d([9, 8, 7]) } }, param_groups: [{ lr: 0.1, hist: new Float64Array([1, 2]) }] },
      message_hub: { log_scalars: { 'train/loss': { log_history: Array.from({ length: 300 }, (_, i) => i / 3), count_history: [1] } } },
    };
    await format.save(file, ckpt as never);
    for (const t of [w, ...Object.values(ckpt.state_dict), ckpt.optimizer.state[0].momentum_buffer]) t.dispose();
    const back = (await format.load(file)) as any;
    expect(back.meta).toEqual(ckpt.meta);
    expect(back.state_dict['linear.weight'].arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(back.state_dict.steps.dtype).toBe('int32');
    expect(back.state_dict.mask.dtype).toBe('bool');
    expect(back.state_dict.mask.arraySync()).toEqual([1, 0, 1]);
    expect(back.optimizer.state[0].momentum_buffer.arraySync()).toEqual([9, 8, 7]);
    expect(back.optimizer.param_groups[0].hist).toEqual(new Float64Array([1, 2]));
    expect(back.message_hub.log_scalars['train/loss'].log_history).toEqual(ckpt.message_hub.log_scalars['train/loss'].log_history);
    expect(await format.verify(file)).toBe(true);
    for (const t of [...Object.values(back.state_dict), back.optimizer.state[0].momentum_buffer] as tf.Tensor[]) t.dispose();
  });

  it('reports truncated, corrupted and foreign files clearly', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.safetensors');
    await format.save(file, { meta: { epoch: 0, iter: 0 }, state_dict: { w: tf.ones([64]) } } as never);
    const bytes = fs.readFileSync(file);
    const cut = path.join(dir, 'cut.safetensors');
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    await expect(format.load(cut)).rejects.toThrow(/truncated/);
    const bad = Buffer.from(bytes);
    bad[bad.length - 3] ^= 0xff;
    fs.writeFileSync(cut, bad);
    await expect(format.load(cut)).rejects.toThrow(/checksum mismatch/);
    await expect(format.verify(cut)).rejects.toThrow(CheckpointError);
    fs.writeFileSync(cut, 'PK\u0003\u0004 this is a zip file, not a checkpoint');
    await expect(format.load(cut)).rejects.toThrow(/not a safetensors checkpoint/);
  });

  for (const background of [false, true]) {
    it(`snapshots before the first await: later weight updates do not reach the file (background=${background})`, async () => {
      const file = path.join(tempDir(), 'snap.safetensors');
      const v = tf.variable(tf.tensor1d([1, 2, 3]));
      const saving = format.save(file, { meta: { epoch: 0, iter: 0 }, state_dict: { v } }, { background });
      v.assign(tf.tensor1d([7, 8, 9]));
      await saving;
      const back = await format.load(file);
      expect(back.state_dict.v.arraySync()).toEqual([1, 2, 3]);
      back.state_dict.v.dispose();
      v.dispose();
    });
  }

  it('writes atomically: no temporary file remains and an existing file is replaced whole', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.safetensors');
    await format.save(file, { meta: { epoch: 0, iter: 0 }, state_dict: { w: tf.ones([4]) } } as never);
    await format.save(file, { meta: { epoch: 1, iter: 1 }, state_dict: { w: tf.zeros([8]) } } as never);
    expect(fs.readdirSync(dir)).toEqual(['a.safetensors']);
    const back = await format.load(file);
    expect(back.meta.epoch).toBe(1);
    expect(back.state_dict.w.shape).toEqual([8]);
    back.state_dict.w.dispose();
  });

  it('leaks no tensors and refuses what it cannot store', async () => {
    const dir = tempDir();
    const w = tf.ones([16]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await format.save(path.join(dir, 'x.safetensors'), { meta: { epoch: 0, iter: 0 }, state_dict: { w } });
      const back = await format.load(path.join(dir, 'x.safetensors'));
      back.state_dict.w.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    const c = tf.complex([1], [2]);
    await expect(format.save(path.join(dir, 'c.safetensors'), { meta: { epoch: 0, iter: 0 }, state_dict: { c } })).rejects.toThrow(
      /complex64 tensor at "state_dict\.c"/,
    );
    c.dispose();
    const gone = tf.ones([2]);
    gone.dispose();
    await expect(format.save(path.join(dir, 'd.safetensors'), { meta: { epoch: 0, iter: 0 }, state_dict: {}, ema: { w: gone } })).rejects.toThrow(
      /"ema\.w".*disposed/,
    );
    await expect(format.save(path.join(dir, 'm.safetensors'), { meta: { epoch: 0, iter: 0 }, state_dict: {}, bad: new Map() })).rejects.toThrow(/Map at "bad"/);
    w.dispose();
  });

  it('refuses files of a newer format version', async () => {
    const file = path.join(tempDir(), 'new.safetensors');
    await format.save(file, { meta: { epoch: 0, iter: 0 }, state_dict: {} });
    const text = fs.readFileSync(file, 'latin1').replace('"trainkit.format_version":"1"', '"trainkit.format_version":"9"');
    fs.writeFileSync(file, text, 'latin1');
    await expect(format.load(file)).rejects.toThrow(/newer trainkit \(checkpoint format 9; .* reads up to 1\)/);
  });
});
