import '@trainkit/hook-logger';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Hook, type Runner, VisBackendStartError, createRunner, getLogger } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import { describe, expect, it } from 'vitest';
import '../src/index.js';
import { parseLenientJson } from './support/lenient-json.js';
import { useStandin } from './support/standin-suite.js';

// the runner makes its own logger at the config's log_level: the default one is left as it is
const standin = useStandin({ quiet: false });

describe('a whole training run', () => {
  it('LoggerHook scalars, the config and the terminal log reach W&B', async () => {
    const cfg = toyConfig(tempDir('wandb-e2e-'), {
      log_level: 'INFO',
      default_hooks: { logger: { type: 'LoggerHook', interval: 1 }, checkpoint: null, param_scheduler: null },
      visualizer: { vis_backends: [{ type: 'WandbVisBackend', init_kwargs: { project: 'e2e', name: 'toy' } }] },
    });
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      const runner = await createRunner(cfg);
      await runner.train();
      await runner.dispose();
    } finally {
      process.stdout.write = write;
      getLogger().level = 'ERROR';
    }
    const state = await standin.state();
    expect(state.violations).toEqual([]);
    const [key] = Object.keys(state.runs);
    expect(key).toMatch(/^alice\/e2e\//);
    const run = state.runs[key];
    expect(run.displayName).toBe('toy');
    expect(run.config).toMatchObject({ model: { value: { type: 'ToyModel' } }, train_cfg: { value: { max_epochs: 2 } } });
    const history = run.files['wandb-history.jsonl'].map((l) => parseLenientJson(l) as Record<string, number>);
    expect(history.map((r) => r._step)).toEqual([...history.keys()]);
    // 2 epochs x 5 iterations logged at interval 1, then a validation row per epoch
    const train = history.filter((r) => 'loss' in r);
    expect(train.map((r) => r.iter)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(history.filter((r) => !('loss' in r))).toHaveLength(2);
    expect(run.files['output.log'].some((l) => /Epoch\(train\) \[1\]\[5\/5\]/.test(l))).toBe(true);
    expect(run.exitcode).toBe(0);
  });

  it('a refused API key fails train() at the start of the run, before any hook or iteration, naming the backend', async () => {
    standin.setEnv({ WANDB_API_KEY: 'y'.repeat(40), WANDB_BASE_URL: standin.url });
    const iterations: number[] = [];
    class CountIters extends Hook {
      override beforeRun(): void {
        iterations.push(-1);
      }
      override afterTrainIter(runner: Runner): void {
        iterations.push(runner.iter);
      }
    }
    const cfg = toyConfig(tempDir('wandb-e2e-'), {
      default_hooks: { logger: null, checkpoint: null, param_scheduler: null },
      custom_hooks: [new CountIters()],
      visualizer: { vis_backends: [{ type: 'WandbVisBackend', init_kwargs: { project: 'refused' } }] },
    });
    const runner = await createRunner(cfg);
    try {
      // building the runner sent nothing: the run starts with train()
      expect((await standin.state()).requests).toEqual([]);
      const error = await runner.train().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VisBackendStartError);
      expect((error as Error).message).toMatch(/^visualizer\.vis_backends: WandbVisBackend could not start: W&B refused the API key from WANDB_API_KEY/);
      expect(iterations).toEqual([]);
      expect(fs.existsSync(path.join(runner.logDir, 'vis_data', 'wandb'))).toBe(false);
    } finally {
      await runner.dispose();
      getLogger().level = 'ERROR';
    }
    expect((await standin.state()).requests.map((r) => r.op)).toEqual(['Viewer']);
  });

  it('a run that fails is finished on W&B with a non-zero exit code', async () => {
    class FailAtIter3 extends Hook {
      override afterTrainIter(runner: Runner): void {
        if (runner.iter === 2) throw new Error('boom');
      }
    }
    const cfg = toyConfig(tempDir('wandb-e2e-'), {
      log_level: 'INFO',
      default_hooks: { logger: { type: 'LoggerHook', interval: 1 }, checkpoint: null, param_scheduler: null },
      custom_hooks: [new FailAtIter3()],
      visualizer: { vis_backends: [{ type: 'WandbVisBackend', init_kwargs: { project: 'e2e-fail' } }] },
    });
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      const runner = await createRunner(cfg);
      await expect(runner.train()).rejects.toThrow(/boom/);
      await runner.dispose();
    } finally {
      process.stdout.write = write;
      getLogger().level = 'ERROR';
    }
    const state = await standin.state();
    const [key] = Object.keys(state.runs);
    expect(state.runs[key].exitcode).toBe(1);
    expect(state.runs[key].files['wandb-history.jsonl'].length).toBeGreaterThan(0);
  });
});
