import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { type BufferCollective, SyncBuffersHook } from '../src/hooks/sync-buffers-hook.js';
import { EmptyCacheHook } from '../src/hooks/empty-cache-hook.js';
import { Hook, type Runner, createRunner } from '../src/index.js';
import { releaseBackendCaches } from '../src/public/backend.js';
import { MODELS } from '../src/registry/root.js';
import { ToyModel, tempDir, toyConfig } from '../src/testing/index.js';

/** The toy model plus one buffer (non-trainable state), for SyncBuffersHook. */
class ToyWithBuffer extends ToyModel {
  readonly runningMean = this.addParameter('bn.running_mean', tf.variable(tf.zeros([1]), false));
}
MODELS.register('ToyWithBuffer', ToyWithBuffer, { force: true });

const runners: Runner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.dispose();
});

async function build(overrides: Record<string, unknown>): Promise<Runner> {
  const runner = await createRunner(toyConfig(tempDir(), { default_hooks: { logger: null, param_scheduler: null, checkpoint: null }, ...overrides }));
  runners.push(runner);
  return runner;
}

describe('IterTimerHook on a backend that reads the device at intervals', () => {
  it('times train iterations by the wall time between device reads, shared evenly, and updates the eta', async () => {
    const runner = await build({ train_cfg: { by_epoch: false, max_iters: 10 } });
    runner.messageHub.deferReads = true; // as on WebGPU
    const hub = runner.messageHub;
    const etas: number[] = [];
    class SlowDevice extends Hook {
      // iteration 4 stands for a GPU still busy with the first five iterations: the read waits 60 ms
      override async afterTrainIter(r: Runner): Promise<void> {
        if (r.iter !== 4 && r.iter !== 9) return;
        if (r.iter === 4) await new Promise((resolve) => setTimeout(resolve, 60));
        await hub.settle();
        etas.push(hub.getInfo<number>('eta')!);
      }
    }
    runner.registerHook(new SlowDevice(), 'LOWEST');
    const t0 = performance.now();
    await runner.train();
    const wall = (performance.now() - t0) / 1000;
    const { values } = hub.getScalar('train/time').data();
    expect(values).toHaveLength(10);
    expect(new Set(values.slice(0, 5)).size).toBe(1);
    expect(values[0]).toBeGreaterThanOrEqual(0.06 / 5);
    expect(values.slice(5).every((v) => v < values[0])).toBe(true);
    expect(values.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(wall);
    expect(etas[0]).toBeCloseTo(values[0] * 5, 6);
    expect(etas[1]).toBe(0);
  });
});

describe('releaseBackendCaches', () => {
  it("calls the active backend's releaseCaches capability: core's cpu entry pools nothing and says why", async () => {
    await tf.setBackend('cpu');
    expect(releaseBackendCaches()).toMatchObject({
      backend: 'cpu',
      buffers: 0,
      textures: 0,
      bytes: 0,
      note: expect.stringContaining('the cpu backend pools nothing'),
    });
  });
});

describe('EmptyCacheHook', () => {
  it('acts after every epoch by default and after iterations / before epochs when asked', async () => {
    const byDefault = await build({ custom_hooks: [{ type: 'EmptyCacheHook' }] });
    const has = (r: Runner, p: Parameters<Runner['hooksAt']>[0]) => r.hooksAt(p).some((h) => h instanceof EmptyCacheHook);
    expect(['afterTrainEpoch', 'afterValEpoch', 'afterTestEpoch'].every((p) => has(byDefault, p as never))).toBe(true);
    expect(has(byDefault, 'afterTrainIter') || has(byDefault, 'beforeTrainEpoch')).toBe(false);
    const all = await build({ custom_hooks: [{ type: 'EmptyCacheHook', before_epoch: true, after_iter: true }] });
    expect(['beforeValEpoch', 'afterTrainIter', 'afterTestIter'].every((p) => has(all, p as never))).toBe(true);
    await all.train();
    expect(all.epoch).toBe(2);
    await expect(build({ custom_hooks: [{ type: 'EmptyCacheHook', after_iters: true }] })).rejects.toThrow(/did you mean "after_iter"/i);
  });
});

describe('SyncBuffersHook', () => {
  const collective = () => {
    const calls: string[] = [];
    const c: BufferCollective = { worldSize: 2, allReduceMean: (vars) => void calls.push(vars.map((v) => v.shape.join('x')).join(',')) };
    return { c, calls };
  };

  it('does nothing in one process', async () => {
    const runner = await build({ model: { type: 'ToyWithBuffer' }, custom_hooks: [{ type: 'SyncBuffersHook' }] });
    await runner.train();
    expect(runner.epoch).toBe(2);
  });

  it('averages buffers after each train epoch, not again before its validation', async () => {
    const runner = await build({ model: { type: 'ToyWithBuffer' }, custom_hooks: [{ type: 'SyncBuffersHook' }] });
    const { c, calls } = collective();
    (runner.hooks.find((h) => h instanceof SyncBuffersHook) as SyncBuffersHook).collective = c;
    await runner.train();
    expect(calls).toEqual(['1', '1']);
  });

  it('averages before validation when no epoch ended (iteration-based training)', async () => {
    const runner = await build({
      model: { type: 'ToyWithBuffer' },
      custom_hooks: [{ type: 'SyncBuffersHook' }],
      train_cfg: { by_epoch: false, max_iters: 4, val_interval: 2 },
    });
    const { c, calls } = collective();
    (runner.hooks.find((h) => h instanceof SyncBuffersHook) as SyncBuffersHook).collective = c;
    await runner.train();
    // before the validations at iterations 2 and 4, then at the loop's one afterTrainEpoch
    expect(calls).toEqual(['1', '1', '1']);
  });
});
