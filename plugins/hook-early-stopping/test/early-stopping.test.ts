import { BaseMetric, type ConfigObject, METRICS, type Runner, createRunner } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { EarlyStoppingHook, inferRule } from '../src/index.js';

/** Reports `{<name>: next value of ScriptedMetric.sequence}` after each validation. */
class ScriptedMetric extends BaseMetric<number> {
  static sequence: number[] = [];
  static metricName = 'val_loss';
  private call = 0;
  constructor() {
    super({ prefix: null });
  }
  process(): void {}
  computeMetrics(): Record<string, number> {
    return { [ScriptedMetric.metricName]: ScriptedMetric.sequence[Math.min(this.call++, ScriptedMetric.sequence.length - 1)] };
  }
}
METRICS.register('ScriptedMetric', ScriptedMetric, { force: true });

const runners: Runner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.dispose();
});

/** Trains the toy model with the hook; returns the runner and the log lines of the run. */
async function train(hook: Record<string, unknown>, overrides: ConfigObject = {}): Promise<{ runner: Runner; log: string }> {
  const runner = await createRunner(
    toyConfig(tempDir(), {
      train_cfg: { by_epoch: true, max_epochs: 10 },
      default_hooks: { logger: null, param_scheduler: null, checkpoint: null },
      custom_hooks: [{ type: 'EarlyStoppingHook', ...hook }],
      ...overrides,
    }),
  );
  runners.push(runner);
  const lines: string[] = [];
  runner.logger.level = 'INFO';
  runner.logger.setConsole((line) => lines.push(line));
  try {
    await runner.train();
  } finally {
    runner.logger.setConsole(() => {});
  }
  return { runner, log: lines.join('\n') };
}

describe('EarlyStoppingHook', () => {
  it('stops after epoch 7 on the seed sequence with patience 2 (spec seed 24)', async () => {
    const { runner, log } = await train({ monitor: 'toy/acc', patience: 2, min_delta: 0.1 });
    expect(runner.epoch).toBe(7);
    expect(log).toContain('the monitored metric did not improve in the last 2 records. best score: 0.900. ');
  });

  it("uses MMEngine's defaults: min_delta 0.1, patience 5, rule inferred, LOWEST priority", () => {
    const hook = new EarlyStoppingHook({ monitor: 'toy/acc' });
    expect(hook).toMatchObject({ minDelta: 0.1, patience: 5, rule: 'greater', checkFinite: true, strict: false, stoppingThreshold: null, priority: 'LOWEST' });
  });

  it("stops at the right epoch with rule 'less' (inferred from a loss name)", async () => {
    ScriptedMetric.metricName = 'val_loss';
    ScriptedMetric.sequence = [1.0, 0.8, 0.75, 0.72, 0.5];
    const { runner } = await train({ monitor: 'val_loss', patience: 2 }, { val_evaluator: { type: 'ScriptedMetric' } });
    expect(runner.epoch).toBe(4);
  });

  it('resets the count on improvement', async () => {
    ScriptedMetric.metricName = 'score';
    ScriptedMetric.sequence = [1, 0.5, 2, 1.5, 1.6, 1.7, 1.8];
    const { runner, log } = await train({ monitor: 'score', rule: 'greater', patience: 3, min_delta: 0.5 }, { val_evaluator: { type: 'ScriptedMetric' } });
    // 1 best, 0.5 wait 1, 2 best, 1.5 / 1.6 / 1.7 wait 1..3
    expect(runner.epoch).toBe(6);
    expect(log).toContain('did not improve in the last 3 records. best score: 2.000. ');
  });

  it('stops when the metric beats stopping_threshold', async () => {
    const { runner, log } = await train({ monitor: 'toy/acc', stopping_threshold: 0.85 });
    expect(runner.epoch).toBe(5);
    expect(log).toContain('Stopping threshold reached: toy/acc = 0.9 is greater than 0.85.');
  });

  it('stops on a NaN with check_finite', async () => {
    ScriptedMetric.metricName = 'val_loss';
    ScriptedMetric.sequence = [1.0, 0.8, Number.NaN, 0.1];
    const { runner, log } = await train({ monitor: 'val_loss' }, { val_evaluator: { type: 'ScriptedMetric' } });
    expect(runner.epoch).toBe(3);
    expect(log).toContain('Monitored metric val_loss = NaN is not finite; the best value was 0.800.');
  });

  it('stops an iteration-based run too', async () => {
    const { runner } = await train({ monitor: 'toy/acc', patience: 1, min_delta: 0 }, { train_cfg: { by_epoch: false, max_iters: 100, val_interval: 2 } });
    // 0.5, 0.7 improve; 0.6 is the first miss: stop after the third validation
    expect(runner.iter).toBe(6);
  });

  it('warns and goes on when the metric is missing, and fails with strict', async () => {
    const { runner, log } = await train({ monitor: 'toy/top1' }, { train_cfg: { by_epoch: true, max_epochs: 2 } });
    expect(runner.epoch).toBe(2);
    expect(log).toContain('validation did not report "toy/top1" (it reported toy/acc)');
    await expect(train({ monitor: 'toy/top1', strict: true })).rejects.toThrow(/did not report "toy\/top1"/);
  });

  it('infers the rule as MMEngine does and rejects unknown names', () => {
    expect(inferRule('coco/bbox_mAP')).toBe('greater');
    expect(inferRule('loss')).toBe('less');
    expect(inferRule('val_loss')).toBe('less');
    expect(inferRule('top1_loss')).toBe('greater');
    expect(() => inferRule('fid')).toThrow(/rule: 'greater' or rule: 'less'/);
    expect(() => new EarlyStoppingHook({ monitor: 'x', rule: 'bigger' as never })).toThrow(/EarlyStoppingHook/);
  });

  it('carries its count across a resume through the checkpoint', () => {
    const a = new EarlyStoppingHook({ monitor: 'toy/acc', patience: 3 });
    for (const v of [0.5, 0.9, 0.8]) a.check(v);
    const checkpoint = { meta: { epoch: 3, iter: 15 }, state_dict: {} };
    a.beforeSaveCheckpoint({} as Runner, checkpoint);
    const b = new EarlyStoppingHook({ monitor: 'toy/acc', patience: 3 });
    b.afterLoadCheckpoint({ cfg: { data: { resume: true } } } as unknown as Runner, checkpoint);
    expect({ best: b.bestScore, wait: b.waitCount }).toEqual({ best: 0.9, wait: 1 });
    const c = new EarlyStoppingHook({ monitor: 'toy/acc' });
    c.afterLoadCheckpoint({ cfg: { data: { resume: false } } } as unknown as Runner, checkpoint);
    expect(c.waitCount).toBe(0);
  });
});
