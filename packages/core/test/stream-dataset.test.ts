import { describe, expect, it } from 'vitest';
import type { DataItem } from '../src/index.js';
import { StreamDataLoader, type StreamContext, type StreamDataset } from '../src/public/data.js';
import { buildDataLoader } from '../src/runner/build-dataloader.js';

/** Counts 0..n-1 (each pass starts over), or forever without n. */
class Counter implements StreamDataset {
  passes: number[] = [];
  constructor(readonly length?: number) {}
  async *stream(ctx: StreamContext): AsyncIterable<DataItem> {
    this.passes.push(ctx.epoch);
    for (let i = 0; this.length === undefined || i < this.length; i++) yield { inputs: { data: Float32Array.of(i), shape: [1] } };
  }
}

const values = (b: unknown) => Array.from((b as { inputs: { data: Float32Array } }).inputs.data);

describe('StreamDataLoader', () => {
  it('batches a stream in order, ends with it, and skips by reading', async () => {
    const loader = buildDataLoader({ dataset: new Counter(7), batch_size: 3 }, 'train_dataloader', 0, true);
    expect(loader).toBeInstanceOf(StreamDataLoader);
    expect(loader.length).toBe(3);
    const it = loader.batches();
    expect(values(await it.next())).toEqual([0, 1, 2]);
    expect(values(await it.next())).toEqual([3, 4, 5]);
    expect(values(await it.next())).toEqual([6]);
    expect(await it.next()).toBeUndefined();
    expect(values(await loader.batches(2).next())).toEqual([6]);
  });

  it('an endless stream is an infinite sampler; each pass gets its epoch', async () => {
    const data = new Counter();
    const loader = buildDataLoader({ dataset: data, batch_size: 2 }, 'train_dataloader', 0, true);
    expect(loader.sampler.infinite).toBe(true);
    loader.sampler.setEpoch?.(3);
    expect(values(await loader.batches(100).next())).toEqual([200, 201]);
    expect(data.passes).toEqual([3]);
  });
});
