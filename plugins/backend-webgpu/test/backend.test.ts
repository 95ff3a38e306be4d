import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, createRunner } from '@trainkit/core';
import { backendCapabilities, drainBackend, releaseBackendCaches, setupBackend } from '@trainkit/core/backend';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { hasWebGpuAdapter, noAdapterHelp } from '../src/index.js';

const hasAdapter = await hasWebGpuAdapter();

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('webgpu backend setup', () => {
  it('validates backend_options with the config path', async () => {
    const err = await setupBackend({ backend: 'webgpu', backend_options: { power_preference: 'fastest' } }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('env_cfg.backend_options.power_preference');
    expect(err.message).toContain('"high-performance", "low-power"');
  });

  it.runIf(!hasAdapter)('says what to check when no adapter is found', async () => {
    const err = await setupBackend({ backend: 'webgpu' }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('no WebGPU adapter was found');
    expect(err.message).toMatch(/Vulkan loader/);
    expect(err.message).toMatch(/VK_DRIVER_FILES|driver manifest/);
    expect(err.message).toContain("backend: 'wasm'");
    expect(tf.getBackend()).not.toBe('webgpu');
  });

  it.runIf(hasAdapter)('trains a small model on the GPU when an adapter exists', async () => {
    expect(await setupBackend({ backend: 'webgpu' })).toBe('webgpu');
    const w = tf.variable(tf.ones([4, 1]));
    const loss = () => tf.tidy(() => tf.mean(tf.square(tf.matMul(tf.ones([8, 4]), w))) as tf.Scalar);
    const opt = tf.train.sgd(0.01);
    const before = (await loss().data())[0];
    for (let i = 0; i < 5; i++) opt.minimize(loss);
    // drain submits what tfjs has batched and waits for the queue, with work pending or not
    await drainBackend();
    await drainBackend();
    expect((await loss().data())[0]).toBeLessThan(before);
  });

  it.runIf(hasAdapter)('gives pooled GPU buffers back (EmptyCacheHook) and keeps training', async () => {
    expect(await setupBackend({ backend: 'webgpu' })).toBe('webgpu');
    const pool = (tf.backend() as unknown as { bufferManager: { numFreeBuffers: number } }).bufferManager;
    const w = tf.variable(tf.ones([64, 64]));
    const step = () => tf.tidy(() => w.assign(tf.sub(w, tf.mul(tf.matMul(w, tf.ones([64, 64])), 1e-4))));
    for (let i = 0; i < 5; i++) step();
    await drainBackend();
    expect(pool.numFreeBuffers).toBeGreaterThan(0);
    const released = releaseBackendCaches();
    expect(released).toMatchObject({ backend: 'webgpu' });
    expect(released!.buffers).toBeGreaterThan(0);
    expect(pool.numFreeBuffers).toBe(0);
    step();
    expect((await w.data())[0]).toBeLessThan(1);
    w.dispose();
  });

  it.runIf(hasAdapter)(
    'a run on webgpu reads its capabilities from the plugin: deferred reads, and EmptyCacheHook empties the pool through releaseCaches',
    async () => {
      const runner = await createRunner(
        toyConfig(tempDir(), {
          env_cfg: { backend: 'webgpu' },
          default_hooks: { checkpoint: null, logger: null },
          custom_hooks: [{ type: 'EmptyCacheHook', after_iter: true }],
          log_level: 'DEBUG',
        }),
      );
      try {
        expect(backendCapabilities()).toMatchObject({
          name: 'webgpu',
          declared: true,
          syncReads: false,
          runsAhead: true,
          nonFiniteChecks: false,
          deterministic: false,
        });
        expect(runner.messageHub.deferReads).toBe(true);
        await runner.train();
        expect(runner.epoch).toBe(2);
        // its first call, after the first iteration, finds the buffers of that step's freed tensors
        const released = /EmptyCacheHook: released (\d+) pooled buffer\(s\)/.exec(fs.readFileSync(runner.logger.file as string, 'utf8'));
        expect(Number(released?.[1])).toBeGreaterThan(0);
      } finally {
        await runner.dispose();
      }
    },
  );

  it.runIf(hasAdapter)('refuses randomness.deterministic: true, which the GPU kernels cannot give', async () => {
    const err = await createRunner(toyConfig(tempDir(), { env_cfg: { backend: 'webgpu' }, randomness: { seed: 1, deterministic: true } })).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^randomness\.deterministic: randomness\.deterministic is true, but the webgpu backend cannot give bit-identical runs/);
  });

  it('keeps the help text actionable', () => {
    const help = noAdapterHelp();
    expect(help.split('\n').length).toBeGreaterThanOrEqual(4);
  });
});
