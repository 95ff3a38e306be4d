import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/index.js';
import { DefaultSampler, InfiniteSampler } from '../src/public/data.js';
import { SINGLE_PROCESS, bucketize, connectProcessGroup, isModelWrapper, parseDistCfg, readDistEnv, setDistInfo, wrapModel } from '../src/public/dist.js';
import { ToyModel } from '../src/testing/index.js';

const world = (rank: number, worldSize: number) => setDistInfo({ ...SINGLE_PROCESS, rank, worldSize });

afterEach(() => setDistInfo(SINGLE_PROCESS));

describe('DefaultSampler across ranks (DistributedSampler rules)', () => {
  it('round_up pads by repeating the start, deals every worldSize-th index, and the ranks together cover the pass', () => {
    const all: number[][] = [];
    for (let rank = 0; rank < 3; rank++) {
      world(rank, 3);
      const s = new DefaultSampler({ dataset: { length: 10 }, shuffle: false });
      expect(s.length).toBe(4);
      all.push([...s.indices()]);
    }
    expect(all).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7, 0],
      [2, 5, 8, 1],
    ]);
  });

  it('without round_up the last ranks get one fewer and nothing repeats', () => {
    const lengths: number[] = [];
    const seen: number[] = [];
    for (let rank = 0; rank < 3; rank++) {
      world(rank, 3);
      const s = new DefaultSampler({ dataset: { length: 10 }, shuffle: false, round_up: false });
      lengths.push(s.length);
      seen.push(...s.indices());
      expect([...s.indices()]).toHaveLength(s.length);
    }
    expect(lengths).toEqual([4, 3, 3]);
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('shuffles with seed + epoch: the same permutation on every rank, dealt out, new each epoch', () => {
    world(0, 1);
    const single = new DefaultSampler({ dataset: { length: 12 }, seed: 4 });
    single.setEpoch(2);
    const pass = [...single.indices()];
    for (let rank = 0; rank < 2; rank++) {
      world(rank, 2);
      const s = new DefaultSampler({ dataset: { length: 12 }, seed: 4 });
      s.setEpoch(2);
      expect([...s.indices()]).toEqual(pass.filter((_, i) => i % 2 === rank));
      s.setEpoch(3);
      expect([...s.indices()]).not.toEqual(pass.filter((_, i) => i % 2 === rank));
    }
  });

  it('InfiniteSampler deals the endless stream by rank', () => {
    world(1, 2);
    const s = new InfiniteSampler({ dataset: { length: 3 }, shuffle: false });
    const it = s.indices()[Symbol.iterator]();
    expect(Array.from({ length: 5 }, () => it.next().value)).toEqual([1, 0, 2, 1, 0]);
  });
});

describe('the worker environment', () => {
  it("reads torchrun's variables for launcher 'pytorch' and ignores them for 'none'", () => {
    const env = { RANK: '3', WORLD_SIZE: '4', LOCAL_RANK: '1', LOCAL_WORLD_SIZE: '2', MASTER_ADDR: '10.0.0.1', MASTER_PORT: '29555' };
    expect(readDistEnv('pytorch', env)).toEqual({ rank: 3, worldSize: 4, localRank: 1, localWorldSize: 2, masterAddr: '10.0.0.1', masterPort: 29555 });
    expect(readDistEnv('none', env).worldSize).toBe(1);
    expect(readDistEnv('slurm', { SLURM_PROCID: '1', SLURM_NTASKS: '2' })).toMatchObject({ rank: 1, worldSize: 2 });
  });

  it('refuses a launcher without its environment, and an unknown launcher, naming the fix', () => {
    expect(() => readDistEnv('pytorch', {})).toThrow(/needs the worker environment \(RANK and WORLD_SIZE\)/);
    expect(() => readDistEnv('pytorch', {})).toThrow(ConfigError);
    expect(() => readDistEnv('torchrun', {})).toThrow(/unknown launcher "torchrun"/);
    expect(() => readDistEnv('pytorch', { RANK: '2', WORLD_SIZE: '2' })).toThrow(/RANK 2 is not below WORLD_SIZE 2/);
  });

  it('env_cfg.dist_cfg: defaults, and unknown keys or rendezvous refused', () => {
    expect(parseDistCfg({})).toEqual({ backend: 'gloo', timeout: 1800, init_method: 'env://' });
    expect(parseDistCfg({ dist_cfg: { backend: 'nccl', timeout: 30 } })).toMatchObject({ backend: 'nccl', timeout: 30 });
    expect(() => parseDistCfg({ dist_cfg: { timout: 30 } })).toThrow(/timout/);
    expect(() => parseDistCfg({ dist_cfg: { init_method: 'tcp://x:1' } })).toThrow(/init_method/);
  });

  it('an unknown collective backend is a clear error', async () => {
    await expect(
      connectProcessGroup('mybackend', { rank: 0, worldSize: 2, localRank: 0, masterAddr: '127.0.0.1', masterPort: 1, timeoutMs: 10, initMethod: 'env://' }),
    ).rejects.toThrow(/unknown distributed backend 'mybackend'/);
  });
});

describe('DDP pieces', () => {
  it('bucketize keeps order and caps bucket bytes (a large tensor alone)', () => {
    const sizes = [10, 20, 300, 5, 5].map((size) => ({ size }));
    expect(bucketize(sizes, 160).map((b) => b.map((t) => t.size))).toEqual([[10, 20], [300], [5, 5]]);
  });

  it('the model wrapper is the model with .module, and isModelWrapper tells them apart', () => {
    const model = new ToyModel();
    const wrapped = wrapModel(model, { type: 'MMDistributedDataParallel', bucket_cap_mb: 25, broadcast_buffers: false, find_unused_parameters: false });
    expect(isModelWrapper(wrapped)).toBe(true);
    expect(isModelWrapper(model)).toBe(false);
    expect(wrapped.module).toBe(model);
    expect(wrapped.namedParameters().map(([n]) => n)).toEqual(model.namedParameters().map(([n]) => n));
    const before = tf.memory().numTensors;
    model.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });
});
