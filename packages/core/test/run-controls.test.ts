import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, type DataItem, HOOKS, Hook, Logger, createRunner } from '../src/index.js';
import type { StreamDataset } from '../src/public/data.js';
import { limitBatches, parseMaxTime } from '../src/loops/run-controls.js';
import { buildDataLoader } from '../src/runner/build-dataloader.js';
import { tempDir, toyConfig } from '../src/testing/index.js';

/** Counts the iterations of each loop a run goes through. */
class IterCounter extends Hook {
  static counts = { train: 0, val: 0, test: 0 };
  override afterTrainIter(): void {
    IterCounter.counts.train++;
  }
  override afterValIter(): void {
    IterCounter.counts.val++;
  }
  override afterTestIter(): void {
    IterCounter.counts.test++;
  }
}
HOOKS.register('IterCounter', IterCounter, { force: true });

function counted(overrides: Record<string, unknown>) {
  IterCounter.counts = { train: 0, val: 0, test: 0 };
  return createRunner(toyConfig(tempDir(), { custom_hooks: [{ type: 'IterCounter' }], ...overrides }));
}

const withTest = {
  test_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2 },
  test_cfg: { limit_test_batches: 2 },
  test_evaluator: { type: 'ToyMetric' },
};

async function configErrorOf(p: Promise<unknown>): Promise<ConfigError> {
  const e = await p.then(
    () => undefined,
    (err) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return e as ConfigError;
}

describe('limit_train_batches, limit_val_batches, limit_test_batches', () => {
  it('caps every loop by a batch count: epochs get shorter, the schedule follows', async () => {
    // the toy set has 5 batches a pass
    const runner = await counted({ train_cfg: { max_epochs: 2, limit_train_batches: 2 }, val_cfg: { limit_val_batches: 1 }, ...withTest });
    await runner.train();
    expect(runner.iter).toBe(4);
    expect(runner.maxIters).toBe(4);
    expect(runner.dataloaderLength('train')).toBe(2);
    expect(IterCounter.counts).toEqual({ train: 4, val: 2, test: 0 });
    await runner.test();
    expect(IterCounter.counts.test).toBe(2);
    await runner.dispose();
  });

  it('takes a fraction of the batches (rounded down, as Lightning does)', async () => {
    const runner = await counted({ train_cfg: { max_epochs: 1, limit_train_batches: 0.5 }, val_cfg: { limit_val_batches: 0.4 } });
    await runner.train();
    expect(IterCounter.counts).toEqual({ train: 2, val: 2, test: 0 });
    await runner.dispose();
  });

  it('caps iteration-based training per pass over the data', async () => {
    const runner = await counted({ train_cfg: { by_epoch: false, max_iters: 6, val_interval: 3, limit_train_batches: 2 }, val_cfg: { limit_val_batches: 1 } });
    await runner.train();
    expect(runner.iter).toBe(6);
    expect(IterCounter.counts).toEqual({ train: 6, val: 2, test: 0 });
    await runner.dispose();
  });

  it('refuses a fraction that leaves no batch, and values that are neither counts nor fractions', async () => {
    const none = await counted({ train_cfg: { max_epochs: 1, limit_train_batches: 0.1 } });
    const e1 = await configErrorOf(none.train());
    expect(e1.message).toContain('train_cfg.limit_train_batches');
    expect(e1.message).toContain('no batch at all');
    await none.dispose();
    // a value that is neither is refused when the run is built, with the rest of the config's checks
    const e2 = await configErrorOf(counted({ val_cfg: { limit_val_batches: 2.5 } }));
    expect(e2.message).toContain('val_cfg.limit_val_batches');
    expect(e2.message).toContain('a batch count (integer >= 1) or a fraction between 0 and 1');
    expect((await configErrorOf(counted({ val_cfg: { limit_train_batches: 2 } }))).message).toContain('unknown option "limit_train_batches"');
  });
});

describe('limit_*_batches on a stream dataset', () => {
  it('ends each pass after the limit, skipped batches counted', async () => {
    const endless: StreamDataset = {
      async *stream(): AsyncIterable<DataItem> {
        for (let i = 0; ; i++) yield { inputs: { data: Float32Array.of(i), shape: [1] } };
      },
    };
    const loader = buildDataLoader({ dataset: endless, batch_size: 2 }, 'train_dataloader', 0, true);
    limitBatches(loader, 3, 'train_cfg.limit_train_batches');
    expect(loader.length).toBe(3);
    const all = loader.batches();
    for (let i = 0; i < 3; i++) expect(await all.next()).toBeDefined();
    expect(await all.next()).toBeUndefined();
    const resumed = loader.batches(2);
    expect(await resumed.next()).toBeDefined();
    expect(await resumed.next()).toBeUndefined();
  });
});

describe('train_cfg.max_time', () => {
  it('reads seconds and DD:HH:MM:SS, and refuses anything else with the format to use', () => {
    expect(parseMaxTime(90)).toBe(90_000);
    expect(parseMaxTime('00:01:00:00')).toBe(3_600_000);
    expect(parseMaxTime('2:00:00:30')).toBe((2 * 86_400 + 30) * 1000);
    expect(parseMaxTime(undefined)).toBeUndefined();
    expect(() => parseMaxTime('1:30')).toThrow(/train_cfg\.max_time.*DD:HH:MM:SS/s);
    expect(() => parseMaxTime('00:00:00:00')).toThrow(/longer than zero/);
  });

  it('stops cleanly after the iteration in which the time ran out, and says so', async () => {
    // a microsecond: the first iteration always outlasts it
    const runner = await counted({ train_cfg: { max_epochs: 3, max_time: 1e-6 }, log_level: 'INFO' });
    await runner.train(); // resolves: running out of time is not a failure
    expect(runner.iter).toBe(1);
    expect(runner.stopRequested).toBe('max_time');
    expect(runner.runStatus.exitCode).toBe(0);
    const log = fs.readFileSync(runner.logger.file!, 'utf8');
    expect(log).toContain('train_cfg.max_time (0.000001s) reached after iteration 1: stopping');
    expect(log).toMatch(/Training stopped by max_time: 0\/3 epochs, 1 iterations in /);
    await runner.dispose();
  });
});

describe('the end-of-training summary (core, without LoggerHook)', () => {
  it('says how far training got, the loss, the last validation, where checkpoints and log are', async () => {
    const runner = await createRunner(toyConfig(tempDir(), { log_level: 'INFO' }));
    const lines: string[] = [];
    runner.logger.setConsole((l) => lines.push(l));
    await runner.train();
    const summary = lines.find((l) => l.includes('Training finished'))!;
    expect(summary).toMatch(/Training finished: 2\/2 epochs, 10 iterations in \d+\.\ds/);
    expect(summary).toMatch(/\n {4}loss: \d+\.\d{4} \(mean of the last 10 iterations\)/);
    expect(summary).toContain('\n    val: toy/acc: 0.7000');
    expect(summary).toContain('\n    checkpoints: none saved (no CheckpointHook in default_hooks)');
    expect(summary).toContain(`\n    log: ${runner.logger.file}`);
    await runner.dispose();
  });
});

describe('reference blocks go to the log file, and to the console at DEBUG', () => {
  for (const level of ['INFO', 'DEBUG'] as const) {
    it(`at ${level}`, async () => {
      const dir = tempDir();
      const logger = new Logger('t', level);
      const shown: string[] = [];
      logger.setConsole((l) => shown.push(l));
      logger.attachFile(`${dir}/run.log`);
      logger.detail('Config:\n{}');
      logger.info('first line');
      logger.closeFile();
      const file = fs.readFileSync(`${dir}/run.log`, 'utf8');
      expect(file).toContain('INFO - Config:\n{}');
      expect(file).toContain('first line');
      expect(shown.some((l) => l.includes('Config:'))).toBe(level === 'DEBUG');
      expect(shown.some((l) => l.includes('first line'))).toBe(true);
    });
  }

  it('a run prints one environment line; config, hook plan and environment block are in the log', async () => {
    const runner = await createRunner(toyConfig(tempDir(), { log_level: 'INFO' }));
    await runner.val(); // the file opens when a run starts, beginning with what was logged while building
    const log = fs.readFileSync(runner.logger.file!, 'utf8');
    expect(log).toContain('Config:\n{');
    expect(log).toContain('Hooks will be executed in the following order:');
    expect(log).toContain('System environment:');
    expect(log).toMatch(/trainkit \S+, TensorFlow\.js \S+ \(cpu backend\), Node\.js \S+, seed 42; log: /);
    await runner.dispose();
  });
});
