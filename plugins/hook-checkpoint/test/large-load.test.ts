import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointError } from '@trainkit/core';
import { disposeCheckpoint } from '@trainkit/core/checkpoint';
import { beforeAll, describe, expect, it } from 'vitest';
import { SafetensorsCheckpoint } from '../src/index.js';
import { tempDir, tf } from './helpers.js';

/**
 * A checkpoint above the size from which the checksum runs on the file thread while the main
 * thread reads (16 MB): the same tensors bit for bit, views into one read, damage still found.
 */
const format = new SafetensorsCheckpoint();

/** Float32 bit patterns, special values included, as the file must give them back. */
function bits(n: number, seed: number): Uint32Array {
  const out = new Uint32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 0;
  }
  // NaN with a payload, -0, +-Infinity, the smallest denormal
  out.set([0x7fc01234, 0x80000000, 0x7f800000, 0xff800000, 0x00000001], 0);
  return out;
}

const floats = (b: Uint32Array) => new Float32Array(b.buffer, b.byteOffset, b.length);

/** Whether two arrays hold the same bytes (expect's deep equality is far too slow for millions). */
function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('loading a large checkpoint (checksum on the file thread)', () => {
  const dir = tempDir();
  const file = path.join(dir, 'large.safetensors');
  const weights = { 'a.weight': bits(3_000_001, 1), 'b.weight': bits(2_000_000, 2), 'b.bias': bits(7, 3) };
  const steps = new Int32Array([1, 2, 3]);

  beforeAll(async () => {
    const state_dict = Object.fromEntries(Object.entries(weights).map(([k, b]) => [k, tf.tensor1d(floats(b))]));
    const ckpt = {
      meta: { epoch: 2, iter: 40 },
      state_dict: { ...state_dict, steps: tf.tensor1d(steps, 'int32') },
      optimizer: { param_groups: [{ lr: 0.1 }] },
    };
    await format.save(file, ckpt as never);
    disposeCheckpoint(ckpt as never);
    expect(fs.statSync(file).size).toBeGreaterThan(16 << 20);
  });

  it('gives back every tensor bit for bit, as views of one buffer, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const back = await format.load(file);
    const sd = back.state_dict as Record<string, tf.Tensor>;
    for (const [name, want] of Object.entries(weights)) {
      expect(sameBits(sd[name].dataSync(), want), name).toBe(true);
    }
    expect(sd.steps.dtype).toBe('int32');
    expect(sd.steps.dataSync()).toEqual(steps);
    expect(back.meta).toMatchObject({ epoch: 2, iter: 40 });
    // the cpu backend keeps the array it was given: all views of the one read, no copies
    const buffers = new Set(Object.values(sd).map((t) => (t.dataSync() as Float32Array).buffer));
    expect(buffers.size).toBe(1);
    disposeCheckpoint(back);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('finds a flipped bit in the middle of the data, and a truncated file', async () => {
    const bytes = fs.readFileSync(file);
    const bad = path.join(dir, 'bad.safetensors');
    const flipped = Buffer.from(bytes);
    flipped[flipped.length >> 1] ^= 0x10;
    fs.writeFileSync(bad, flipped);
    const before = tf.memory().numTensors;
    await expect(format.load(bad)).rejects.toThrow(/corrupted checkpoint: checksum mismatch/);
    await expect(format.load(bad)).rejects.toBeInstanceOf(CheckpointError);
    fs.writeFileSync(bad, bytes.subarray(0, bytes.length - 1000));
    await expect(format.load(bad)).rejects.toThrow(/truncated/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads several large checkpoints at once (one file thread, jobs in order)', async () => {
    const loaded = await Promise.all([format.load(file), format.load(file), format.load(file)]);
    for (const ck of loaded) {
      expect(sameBits((ck.state_dict as Record<string, tf.Tensor>)['b.weight'].dataSync(), weights['b.weight'])).toBe(true);
      disposeCheckpoint(ck);
    }
  });
});
