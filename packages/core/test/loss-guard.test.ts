import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, Logger, NonFiniteLossError, createRunner } from '../src/index.js';
import { LossGuard } from '../src/runner/loss-guard.js';
import { tempDir, toyConfig } from '../src/testing/index.js';

/** A logger whose console lines are kept for the test to read. */
function recordingLogger(): { logger: Logger; lines: string[] } {
  const logger = new Logger('test', 'INFO');
  const lines: string[] = [];
  logger.setConsole((line) => lines.push(line));
  return { logger, lines };
}

describe('a non-finite loss stops training', () => {
  it('names the iteration, the loss term and what to try (values read at once, cpu)', async () => {
    const runner = await createRunner(toyConfig(tempDir(), { optim_wrapper: { constructor: 'SimpleSGDConstructor', optimizer: { type: 'SGD', lr: 1e30 } } }));
    const err = await runner.train().catch((e) => e);
    await runner.dispose();
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect(err.message).toMatch(/^iteration \d+: the loss term "loss" is (NaN|-?Infinity), so training stopped/);
    expect(err.message).toContain('optim_wrapper.optimizer.lr');
    expect(err.message).toContain('clip_grad');
    expect(err.message).not.toContain('(in RuntimeInfoHook');
    // the stack is in the log file, not as the error's message
    const log = fs.readFileSync(runner.logger.file!, 'utf8');
    expect(log).toContain('run failed: iteration');
    expect(log).toMatch(/NonFiniteLossError: iteration[^\n]*\n(.*\n)*\s+at /);
  });

  it('is found where the values are read anyway on deferred-read backends (settle), with the iteration it happened in', async () => {
    const runner = await createRunner(toyConfig(tempDir(), { optim_wrapper: { constructor: 'SimpleSGDConstructor', optimizer: { type: 'SGD', lr: 1e30 } } }));
    runner.messageHub.deferReads = true; // as on WebGPU: losses stay on the device until a settle
    const err = await runner.train().catch((e) => e);
    await runner.dispose();
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect(err.message).toMatch(/^iteration \d+: the loss term "loss"/);
  });

  it("env_cfg.nonfinite_loss: 'skip' needs an optimizer wrapper that skips such steps", async () => {
    const err = await createRunner(toyConfig(tempDir(), { env_cfg: { backend: 'cpu', nonfinite_loss: 'skip' } }))
      .then((r) => r.train().finally(() => r.dispose()))
      .catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('env_cfg.nonfinite_loss');
    expect(err.message).toContain('AmpOptimWrapper');
  });

  it("with a wrapper that skips non-finite steps (AMP's loss scaler), warns and goes on", () => {
    const { logger, lines } = recordingLogger();
    const guard = new LossGuard(LossGuard.options({}, true), logger);
    guard.check('train/loss', Number.NaN, 6);
    expect(lines.join('\n')).toMatch(/iteration 7: the loss term "loss" is NaN; the optimizer wrapper skipped that step/);
  });

  it('ignores values that are not training losses', () => {
    const { logger } = recordingLogger();
    const guard = new LossGuard(LossGuard.options({}, false), logger);
    expect(() => guard.check('train/lr', Number.NaN, 0)).not.toThrow();
    expect(() => guard.check('val/accuracy/top1', Number.NaN, 0)).not.toThrow();
    expect(() => guard.check('train/loss_cls', Number.POSITIVE_INFINITY, 3)).toThrow(/iteration 4: the loss term "loss_cls" is Infinity/);
  });
});

describe('divergence check', () => {
  it('warns once when a loss rises above loss_divergence_factor times its running median', () => {
    const { logger, lines } = recordingLogger();
    const guard = new LossGuard(LossGuard.options({ loss_divergence_factor: 5 }, false), logger);
    for (let i = 0; i < 20; i++) guard.check('train/loss', 1 + (i % 3) * 0.1, i);
    expect(lines).toEqual([]);
    guard.check('train/loss', 4.9, 20);
    expect(lines).toEqual([]);
    guard.check('train/loss', 60, 21);
    guard.check('train/loss', 70, 22);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/iteration 22: the loss term "loss" is 60\.00, more than 5x its running median 1\.\d+: training may be diverging/);
  });

  it('is off with loss_divergence_factor: null, and refuses a factor of 1 or less', () => {
    const { logger, lines } = recordingLogger();
    const guard = new LossGuard(LossGuard.options({ loss_divergence_factor: null }, false), logger);
    for (let i = 0; i < 20; i++) guard.check('train/loss', 1, i);
    guard.check('train/loss', 1e21, 20);
    expect(lines).toEqual([]);
    expect(() => LossGuard.options({ loss_divergence_factor: 1 }, false)).toThrow(/env_cfg\.loss_divergence_factor/);
    expect(() => LossGuard.options({ nonfinite_loss: 'ignore' }, false)).toThrow(/env_cfg\.nonfinite_loss/);
  });
});
