import * as tf from '@tensorflow/tfjs';
import { defaultCollate, pseudoCollate } from '@trainkit/core/data';
import { describe, expect, it } from 'vitest';
import { batchImage, sampleToImage } from '../src/index.js';

describe('sampleToImage', () => {
  it('takes uint8 data as is, in HWC, HW and flattened square layouts', () => {
    const data = Uint8Array.from({ length: 16 }, (_, i) => i * 10);
    expect(sampleToImage(data, [4, 4, 1])).toMatchObject({ width: 4, height: 4, channels: 1, data });
    expect(sampleToImage(data, [4, 4])).toMatchObject({ width: 4, height: 4, channels: 1 });
    expect(sampleToImage(data, [16])).toMatchObject({ width: 4, height: 4, channels: 1 });
    expect(sampleToImage(data, [2, 8])?.width).toBe(8);
  });

  it('maps float ranges to 0..255: [0, 1] scaled, [0, 255] rounded, anything else stretched', () => {
    expect(Array.from(sampleToImage(Float32Array.from([0, 0.5, 1, 0.25]), [2, 2])!.data)).toEqual([0, 128, 255, 64]);
    expect(Array.from(sampleToImage(Float32Array.from([0, 12.4, 254.6, 100]), [2, 2])!.data)).toEqual([0, 12, 255, 100]);
    expect(Array.from(sampleToImage(Float32Array.from([-1, 0, 1, 3]), [2, 2])!.data)).toEqual([0, 64, 128, 255]);
  });

  it('moves channels-first data to channels-last', () => {
    // 3 planes of 1x2: R = [1, 2], G = [3, 4], B = [5, 6]
    const img = sampleToImage(Uint8Array.from([1, 2, 3, 4, 5, 6]), [3, 1, 2]);
    expect(img).toMatchObject({ width: 2, height: 1, channels: 3 });
    expect(Array.from(img!.data)).toEqual([1, 3, 5, 2, 4, 6]);
  });

  it('rejects what is not an image', () => {
    expect(sampleToImage(new Float32Array(2), [2])).toBeUndefined();
    expect(sampleToImage(new Float32Array(30), [2, 3, 5])).toBeUndefined();
  });
});

describe('batchImage', () => {
  const items = [0, 1, 2].map((i) => ({ inputs: { data: Uint8Array.from([i, i, i, i]), shape: [2, 2, 1] } }));

  it('picks one sample from a stacked batch or a list', async () => {
    expect(Array.from((await batchImage(defaultCollate(items).inputs, 2))!.data)).toEqual([2, 2, 2, 2]);
    expect(Array.from((await batchImage(pseudoCollate(items).inputs, 1))!.data)).toEqual([1, 1, 1, 1]);
    expect(await batchImage(defaultCollate(items).inputs, 3)).toBeUndefined();
  });

  it('reads one sample back from a tensor batch without leaking', async () => {
    const t = tf.tensor4d(
      Float32Array.from({ length: 12 }, (_, i) => i / 11),
      [3, 2, 2, 1],
    );
    const before = tf.memory().numTensors;
    const img = await batchImage(t, 1);
    expect(tf.memory().numTensors).toBe(before);
    expect(img).toMatchObject({ width: 2, height: 2, channels: 1 });
    expect(img!.data[0]).toBe(Math.round((4 / 11) * 255));
    t.dispose();
  });
});
