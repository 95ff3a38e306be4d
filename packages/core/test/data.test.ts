import { describe, expect, it } from 'vitest';
import { ArrayDataset, type ItemContext, type NdArray } from '../src/index.js';
import { DataLoader, DefaultSampler, InfiniteSampler, defaultCollate } from '../src/public/data.js';

const items = Array.from({ length: 10 }, (_, i) => ({ inputs: { data: new Float32Array([i, i]), shape: [2] }, data_samples: { gt_label: i } }));

describe('samplers and the DataLoader', () => {
  it('shuffles with seed + epoch, the same for the same epoch', () => {
    const s = new DefaultSampler({ dataset: { length: 10 }, seed: 3 });
    const e0 = [...s.indices()];
    s.setEpoch(1);
    const e1 = [...s.indices()];
    s.setEpoch(0);
    expect([...s.indices()]).toEqual(e0);
    expect(e1).not.toEqual(e0);
    expect([...e0].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('batches, stacks inputs, keeps samples as a list and honours drop_last', async () => {
    const loader = new DataLoader({ dataset: new ArrayDataset(items), batch_size: 4 });
    expect(loader.length).toBe(3);
    const batches = [];
    for await (const b of loader) batches.push(b);
    expect(batches.map((b) => (b.inputs as NdArray).shape)).toEqual([
      [4, 2],
      [4, 2],
      [2, 2],
    ]);
    expect(batches[0].data_samples?.map((s) => s.gt_label)).toEqual([0, 1, 2, 3]);
    const dropping = new DataLoader({ dataset: new ArrayDataset(items), batch_size: 4, drop_last: true });
    expect(dropping.length).toBe(2);
  });

  it('skips batches by index only when resuming mid-epoch', () => {
    let loaded = 0;
    const dataset = {
      length: 10,
      getItem: (i: number) => {
        loaded++;
        return items[i];
      },
    };
    const loader = new DataLoader({ dataset, batch_size: 2, prefetch: 0 });
    const it = loader.batches(3);
    const b = it.next() as { data_samples: Array<{ gt_label: number }> };
    expect(b.data_samples.map((s) => s.gt_label)).toEqual([6, 7]);
    expect(loaded).toBe(2);
  });

  it('loads asynchronous datasets ahead and surfaces their errors when the batch is used', async () => {
    const dataset = {
      length: 6,
      getItem: async (i: number) => {
        if (i === 5) throw new Error('bad sample 5');
        return items[i];
      },
    };
    const it = new DataLoader({ dataset, batch_size: 2, prefetch: 2 }).batches();
    expect(((await it.next()) as { data_samples: unknown[] }).data_samples).toHaveLength(2);
    await it.next();
    await expect(it.next()).rejects.toThrow('bad sample 5');
  });

  it('yields forever from an InfiniteSampler, reshuffling each pass', () => {
    const s = new InfiniteSampler({ dataset: { length: 3 }, seed: 1 });
    const it = s.indices()[Symbol.iterator]();
    const seen = Array.from({ length: 9 }, () => it.next().value);
    expect(seen.slice(0, 3).sort()).toEqual([0, 1, 2]);
    expect(seen.slice(3, 6).sort()).toEqual([0, 1, 2]);
  });

  it('refuses to stack different shapes and says what to do', () => {
    expect(() => defaultCollate([{ inputs: { data: new Float32Array(2), shape: [2] } }, { inputs: { data: new Float32Array(3), shape: [3] } }])).toThrow(
      /pseudo_collate/,
    );
  });

  it('gives every sample a seeded generator: the same draws however far ahead it loads and after a mid-pass resume', async () => {
    const draw = (prefetch: number, skip: number, asyncItems: boolean) => {
      const dataset = {
        length: 10,
        getItem: (i: number, ctx?: ItemContext) => {
          const item = { inputs: { data: new Float32Array([ctx?.random.next() ?? -1]), shape: [1] }, data_samples: { gt_label: i } };
          return asyncItems ? Promise.resolve(item) : item;
        },
      };
      const sampler = new DefaultSampler({ dataset, seed: 5 });
      sampler.setEpoch(2);
      return new DataLoader({ dataset, batch_size: 2, sampler, prefetch }).batches(skip);
    };
    const collect = async (it: ReturnType<typeof draw>) => {
      const out: number[] = [];
      for (let b = await it.next(); b; b = await it.next()) out.push(...(b.inputs as NdArray).data);
      return out;
    };
    const straight = await collect(draw(0, 0, false));
    expect(new Set(straight).size).toBe(10);
    expect(await collect(draw(3, 0, true))).toEqual(straight);
    expect(await collect(draw(2, 2, true))).toEqual(straight.slice(4));
  });
});
