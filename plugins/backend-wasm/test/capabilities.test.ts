import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { createRunner } from '@trainkit/core';
import { backendCapabilities, releaseBackendCaches } from '@trainkit/core/backend';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { wasmBackend, wasmMemoryBytes } from '../src/index.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('the capabilities the wasm plugin declares', () => {
  it('are what core reads once the backend runs: sync reads, no run-ahead, determinism, heap size, its own releaseCaches', async () => {
    const runner = await createRunner(
      toyConfig(tempDir(), {
        env_cfg: { backend: 'wasm' },
        default_hooks: { checkpoint: null, logger: null },
        custom_hooks: [{ type: 'EmptyCacheHook', after_iter: true }],
        log_level: 'DEBUG',
      }),
    );
    try {
      expect(backendCapabilities()).toMatchObject({
        name: 'wasm',
        declared: true,
        syncReads: true,
        runsAhead: false,
        nonFiniteChecks: true,
        deterministic: true,
      });
      expect(runner.messageHub.deferReads).toBe(false);
      expect(runner.memoryMB()).toBe(Math.floor(wasmMemoryBytes()! / 2 ** 20));
      expect(releaseBackendCaches()).toMatchObject({
        backend: 'wasm',
        buffers: 0,
        bytes: 0,
        note: expect.stringContaining('WebAssembly memory cannot shrink'),
      });
      await runner.train();
      // EmptyCacheHook went through the plugin's capability: the reason is the plugin's own words
      const log = fs.readFileSync(runner.logger.file as string, 'utf8');
      expect(log).toMatch(
        /EmptyCacheHook: nothing to release: the wasm backend pools nothing: freed tensors go straight back to its allocator, and WebAssembly memory cannot shrink \(heap now [\d.]+ MB\)/,
      );
    } finally {
      await runner.dispose();
    }
    expect(wasmBackend.releaseCaches).toBeTypeOf('function');
  });
});
