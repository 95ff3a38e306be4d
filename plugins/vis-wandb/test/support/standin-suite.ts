import { getLogger } from '@trainkit/core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { API_KEY, setWandbEnv } from './env.js';
import { StandinProcess } from './standin-process.js';
import type { StandinSetup } from './wandb-standin.js';

export interface StandinSuiteOptions {
  /** What the stand-in is reset to before each test (default: the test key, entity "alice"). */
  setup?: StandinSetup;
  /** W&B variables of each test, over the test key and the stand-in's URL. */
  env?: Record<string, string | undefined>;
  /** Set trainkit's logger to ERROR once the stand-in runs (default true). */
  quiet?: boolean;
}

/** The stand-in of a test file, as its tests use it. */
export interface StandinSuite extends Pick<StandinProcess, 'url' | 'reset' | 'faults' | 'preload' | 'state'> {
  /** Replaces this test's W&B environment with `vars` (restored after the test like the default one). */
  setEnv(vars: Record<string, string | undefined>): void;
}

/**
 * The setup every stand-in test file shares: one stand-in server process for the file, reset
 * before each test, and W&B's environment pointed at it for the test and restored after it.
 * Call it at the top level of a test file.
 */
export function useStandin(opts: StandinSuiteOptions = {}): StandinSuite {
  let server: StandinProcess | undefined;
  let restore = () => {};
  const live = (): StandinProcess => {
    if (!server) throw new Error('the stand-in starts in beforeAll: use it inside hooks and tests');
    return server;
  };
  const suite: StandinSuite = {
    get url() {
      return live().url;
    },
    reset: (setup) => live().reset(setup),
    faults: (faults) => live().faults(faults),
    preload: (run) => live().preload(run),
    state: () => live().state(),
    setEnv(vars) {
      restore();
      restore = setWandbEnv(vars);
    },
  };

  beforeAll(async () => {
    server = await StandinProcess.start();
    if (opts.quiet !== false) getLogger().level = 'ERROR';
  });
  afterAll(() => server?.stop());
  beforeEach(async () => {
    await suite.reset(opts.setup ?? { apiKey: API_KEY, entity: 'alice' });
    suite.setEnv({ WANDB_API_KEY: API_KEY, WANDB_BASE_URL: suite.url, ...opts.env });
  });
  afterEach(() => {
    restore();
    restore = () => {};
  });
  return suite;
}
