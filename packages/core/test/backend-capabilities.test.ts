import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, type Runner, createRunner } from '../src/index.js';
import { backendCapabilities, backendReadsSync, releaseBackendCaches } from '../src/public/backend.js';
import { registerThirdPartyBackend, tempDir, toyConfig } from '../src/testing/index.js';

const runners: Runner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.dispose();
  await tf.setBackend('cpu');
});

async function runOn(backend: string, overrides: Record<string, unknown> = {}): Promise<Runner> {
  const runner = await createRunner(
    toyConfig(tempDir(), {
      env_cfg: { backend },
      default_hooks: { checkpoint: null },
      custom_hooks: [{ type: 'EmptyCacheHook' }],
      log_level: 'DEBUG',
      ...overrides,
    }),
  );
  runners.push(runner);
  return runner;
}

const logOf = (runner: Runner) => fs.readFileSync(runner.logger.file as string, 'utf8');

describe('backend capabilities', () => {
  it("core's cpu entry declares what it can do", async () => {
    await tf.setBackend('cpu');
    expect(backendCapabilities()).toMatchObject({ name: 'cpu', declared: true, syncReads: true, runsAhead: false, nonFiniteChecks: true, deterministic: true });
  });

  it('a third-party backend that declares nothing gets the safe defaults, is named in the log, and still trains', async () => {
    registerThirdPartyBackend('undeclared-third-party');
    const runner = await runOn('undeclared-third-party');
    const caps = backendCapabilities();
    expect(caps).toMatchObject({
      name: 'undeclared-third-party',
      declared: false,
      syncReads: false,
      runsAhead: true,
      nonFiniteChecks: false,
      deterministic: false,
    });
    expect(backendReadsSync()).toBe(false);
    // values are read at intervals with `await tensor.data()`, which every backend supports
    expect(runner.messageHub.deferReads).toBe(true);
    expect(releaseBackendCaches()).toBeUndefined();
    await runner.train();
    expect(runner.epoch).toBe(2);
    const log = logOf(runner);
    expect(log).toContain('the "undeclared-third-party" backend declares no capabilities, so trainkit assumes the safe defaults');
    expect(log).toContain('docs/writing-a-plugin.md#backend-capabilities');
    expect(log).toMatch(/WARNING - EmptyCacheHook: the undeclared-third-party backend declares no releaseCaches capability, so nothing is released/);
  });

  it('refuses randomness.deterministic on a backend that does not declare it, naming the capability', async () => {
    registerThirdPartyBackend('undeclared-third-party');
    const err = await runOn('undeclared-third-party', { randomness: { seed: 1, deterministic: true } }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(
      'the undeclared-third-party backend cannot give bit-identical runs: the backend does not declare the deterministic capability',
    );
  });

  it('honours every declared capability: sync reads, memory figures, cache release, determinism', async () => {
    let released = 0;
    registerThirdPartyBackend('declared-third-party', {
      syncReads: true,
      runsAhead: false,
      deterministic: true,
      memoryBytes: () => 5 * 2 ** 20,
      releaseCaches: () => {
        released++;
        return { buffers: 3, textures: 0, bytes: 2 ** 20 };
      },
    });
    const runner = await runOn('declared-third-party', { randomness: { seed: 1, deterministic: true } });
    expect(backendCapabilities()).toMatchObject({ declared: true, syncReads: true, runsAhead: false, nonFiniteChecks: true, deterministic: true });
    expect(runner.messageHub.deferReads).toBe(false);
    expect(runner.memoryMB()).toBe(5);
    await runner.train();
    // EmptyCacheHook acts after each train and val epoch: 2 epochs, each validated
    expect(released).toBe(4);
    const log = logOf(runner);
    expect(log).toContain('randomness.deterministic: the declared-third-party backend is deterministic as it is');
    expect(log).toContain('EmptyCacheHook: released 3 pooled buffer(s) and 0 texture(s), 1.0 MB, of the declared-third-party backend');
    expect(log).not.toContain('declares no capabilities');
  });

  it('on cpu, EmptyCacheHook reports what the entry says instead of releasing', async () => {
    const runner = await runOn('cpu');
    await runner.train();
    expect(logOf(runner)).toContain('EmptyCacheHook: nothing to release: the cpu backend pools nothing');
  });
});
