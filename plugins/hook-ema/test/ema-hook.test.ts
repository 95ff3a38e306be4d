import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Checkpoint } from '@trainkit/core/checkpoint';
import { type Runner, createRunner, getPriority } from '@trainkit/core';
import { tempDir } from '@trainkit/core/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../src/index.js';
import { MemoryCheckpoint } from './helpers.js';
import {
  MetricsProbe,
  StandInCheckpointHook,
  type Weights,
  WeightRecorder,
  emaOf,
  emaRunConfig,
  resetRecorders,
  toyPredictionMean,
  weightsOf,
} from './fixtures.js';

const runners: Runner[] = [];
async function start(cfg: Record<string, unknown>): Promise<Runner> {
  const runner = await createRunner(cfg);
  runners.push(runner);
  return runner;
}

beforeEach(resetRecorders);
afterEach(async () => {
  for (const r of runners.splice(0)) {
    await r.dispose();
    emaOf(r)?.dispose();
  }
});
afterAll(() => MemoryCheckpoint.clear());

/** Expected average of a recorded trajectory, updates weighing the new value `weight(k)`. */
function expectedAverage(trajectory: Weights[], weight: (k: number) => number): Weights {
  const out: Weights = {};
  for (const name of Object.keys(trajectory[0])) {
    out[name] = trajectory[0][name].map((_, j) => {
      let total = 0;
      for (let k = 0; k < trajectory.length; k++) {
        let keep = k === 0 ? 1 : weight(k);
        for (let i = k + 1; i < trajectory.length; i++) keep *= 1 - weight(i);
        total += trajectory[k][name][j] * keep;
      }
      return total;
    });
  }
  return out;
}

function expectClose(got: Weights, want: Weights, digits = 6): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const k of Object.keys(want)) {
    for (const [j, v] of want[k].entries()) expect(got[k][j]).toBeCloseTo(v, digits);
  }
}

describe('EMAHook in a run', () => {
  it("means what MMEngine means by {type: 'EMAHook', momentum: 4e-5, priority: 'ABOVE_NORMAL'}", async () => {
    const runner = await start(
      emaRunConfig(tempDir(), { momentum: 4e-5, priority: 'ABOVE_NORMAL' }, { val_cfg: null, val_dataloader: null, val_evaluator: null }),
    );
    await runner.train();
    const hook = emaOf(runner);
    expect(getPriority(hook.priority)).toBe(40);
    expect(hook.emaModel!.steps).toBe(10);
    // momentum is the weight of the new value: the average barely moves from the first weights
    expectClose(
      weightsOf(hook.emaModel!.module),
      expectedAverage(WeightRecorder.trajectory, () => 4e-5),
    );
    const first = WeightRecorder.trajectory[0]['linear.weight'][0];
    expect(Math.abs(weightsOf(hook.emaModel!.module)['linear.weight'][0] - first)).toBeLessThan(1e-3);
  });

  it.each([
    ['ExponentialMovingAverage', { momentum: 0.3 }, () => 0.3],
    ['MomentumAnnealingEMA', { momentum: 0.05, gamma: 2 }, (k: number) => Math.max(0.05, 2 / (2 + k))],
    ['StochasticWeightAverage', { interval: 2 }, (k: number) => (k % 2 === 0 ? 1 / (k / 2 + 1) : 0)],
  ] as const)('averages the run with %s as the closed form says', async (ema_type, options, weight) => {
    const runner = await start(emaRunConfig(tempDir(), { ema_type, ...options }, { val_cfg: null, val_dataloader: null, val_evaluator: null }));
    await runner.train();
    expect(WeightRecorder.trajectory).toHaveLength(10);
    expectClose(weightsOf(emaOf(runner).emaModel!.module), expectedAverage(WeightRecorder.trajectory, weight), 5);
  });

  it('validates with the averaged weights and puts the raw ones back after', async () => {
    const runner = await start(
      emaRunConfig(
        tempDir(),
        { momentum: 0.01 },
        { train_cfg: { by_epoch: true, max_epochs: 1 }, val_evaluator: { type: 'PredictionMean' }, default_hooks: { logger: null, param_scheduler: null } },
      ),
    );
    await runner.train();
    const raw = WeightRecorder.trajectory.at(-1)!;
    const averaged = weightsOf(emaOf(runner).emaModel!.module);
    const metric = MetricsProbe.seen[0]['pred/mean'] as number;
    // a constructed case where the two differ clearly: one epoch at lr 0.1 against a slow average
    expect(Math.abs(toyPredictionMean(raw) - toyPredictionMean(averaged))).toBeGreaterThan(1e-3);
    expect(metric).toBeCloseTo(toyPredictionMean(averaged), 5);
    expect(weightsOf(runner.model.namedParameters())).toEqual(raw);
    // the checkpoint hook's best-checkpoint point already sees the raw weights again
    expect(StandInCheckpointHook.seenAfterVal[0]).toEqual(raw);
  });

  it('runs before CheckpointHook at every shared point whatever priority a config sets', async () => {
    const runner = await start(emaRunConfig(tempDir(), { priority: 'LOWEST' }));
    const names = (point: Parameters<Runner['hooksAt']>[0]) => runner.hooksAt(point).map((h) => h.displayName);
    for (const point of ['afterTrainIter', 'afterValEpoch'] as const) {
      const order = names(point);
      expect(order.indexOf('EMAHook')).toBeLessThan(order.indexOf('CheckpointHook'));
    }
    // elsewhere the priority still rules: LOWEST runs after WeightRecorder (NORMAL)
    expect(names('beforeValEpoch').at(-1)).toBe('EMAHook');
    await runner.train();
    expect(StandInCheckpointHook.seenAfterVal[0]).toEqual(WeightRecorder.trajectory[4]);
  });

  it('saves the averaged weights as state_dict and the raw ones in ema_state_dict (spec seed 36)', async () => {
    const workDir = tempDir();
    const runner = await start(emaRunConfig(workDir, { momentum: 0.5 }, { train_cfg: { by_epoch: true, max_epochs: 1 } }));
    await runner.train();
    const saved = MemoryCheckpoint.store.get(path.join(workDir, 'epoch_1.mem'))!;
    const ema = saved.ema_state_dict as Record<string, tf.Tensor>;
    expect(Object.keys(ema).sort()).toEqual(['module.linear.bias', 'module.linear.weight', 'steps']);
    expect(ema.steps.dataSync()[0]).toBe(5);
    const raw = WeightRecorder.trajectory[4];
    const averaged = expectedAverage(WeightRecorder.trajectory.slice(0, 5), () => 0.5);
    expectClose(weightsOf(Object.entries(saved.state_dict)), averaged);
    expect(weightsOf([['linear.weight', ema['module.linear.weight']]])['linear.weight']).toEqual(raw['linear.weight']);
  });

  it('resumes exactly: weights and average equal those of an uninterrupted run', async () => {
    const dirA = tempDir();
    const a = await start(emaRunConfig(dirA, { momentum: 0.2, interval: 2 }, { train_cfg: { by_epoch: true, max_epochs: 4 } }));
    await a.train();
    const full = { model: weightsOf(a.model.namedParameters()), ema: weightsOf(emaOf(a).emaModel!.module), steps: emaOf(a).emaModel!.steps };

    const b = await start(
      emaRunConfig(
        tempDir(),
        { momentum: 0.2, interval: 2 },
        { train_cfg: { by_epoch: true, max_epochs: 4 }, resume: true, load_from: path.join(dirA, 'epoch_2.mem') },
      ),
    );
    await b.train();
    expect(b.iter).toBe(20);
    expect(WeightRecorder.trajectory).toHaveLength(30); // 20 iterations of run a, 10 of run b
    expect({ model: weightsOf(b.model.namedParameters()), ema: weightsOf(emaOf(b).emaModel!.module), steps: emaOf(b).emaModel!.steps }).toEqual(full);
  });

  it('load_from (no resume) puts the averaged weights in the model and in the average', async () => {
    const dirA = tempDir();
    const a = await start(emaRunConfig(dirA, { momentum: 0.5 }, { train_cfg: { by_epoch: true, max_epochs: 1 } }));
    await a.train();
    const averaged = weightsOf(emaOf(a).emaModel!.module);
    const b = await start(emaRunConfig(tempDir(), { momentum: 0.5 }, { load_from: path.join(dirA, 'epoch_1.mem') }));
    await b.val();
    expect(weightsOf(b.model.namedParameters())).toEqual(averaged);
    expect(weightsOf(emaOf(b).emaModel!.module)).toEqual(averaged);
  });

  it('resuming from a checkpoint without EMA state starts the average from its weights, with a warning', async () => {
    const dirA = tempDir();
    const a = await start(emaRunConfig(dirA, {}, { custom_hooks: [], train_cfg: { by_epoch: true, max_epochs: 1 } }));
    await a.train();
    const trained = weightsOf(a.model.namedParameters());
    const b = await start(
      emaRunConfig(
        tempDir(),
        { momentum: 0.5 },
        { train_cfg: { by_epoch: true, max_epochs: 2 }, resume: true, load_from: path.join(dirA, 'epoch_1.mem'), log_level: 'INFO' },
      ),
    );
    const warnings: string[] = [];
    const warn = b.logger.warn.bind(b.logger);
    b.logger.warn = (m: string) => {
      warnings.push(m);
      warn(m);
    };
    let atLoad: Weights | undefined;
    const ema = emaOf(b);
    const load = ema.afterLoadCheckpoint.bind(ema);
    ema.afterLoadCheckpoint = (r: Runner, c: Checkpoint) => {
      load(r, c);
      atLoad = weightsOf(ema.emaModel!.module);
    };
    await b.train();
    expect(atLoad).toEqual(trained);
    expect(warnings.some((w) => w.includes('no `ema_state_dict`'))).toBe(true);
  });

  it('follows the model until begin_epoch, then averages', async () => {
    const runner = await start(emaRunConfig(tempDir(), { momentum: 0.5, begin_epoch: 2 }, { val_cfg: null, val_dataloader: null, val_evaluator: null }));
    const ema = emaOf(runner);
    const steps: number[] = [];
    const update = ema.afterTrainIter.bind(ema);
    ema.afterTrainIter = (r: Runner) => {
      update(r);
      steps.push(ema.emaModel!.steps);
    };
    await runner.train();
    expect(steps).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 4, 5]);
    expectClose(
      weightsOf(ema.emaModel!.module),
      expectedAverage(WeightRecorder.trajectory.slice(5), () => 0.5),
    );
  });

  it('keeps tf.memory() flat over 300 iterations with validation', async () => {
    const runner = await start(
      emaRunConfig(
        tempDir(),
        { momentum: 0.01 },
        { train_cfg: { by_epoch: false, max_iters: 300, val_interval: 100 }, default_hooks: { logger: null, param_scheduler: null, checkpoint: null } },
      ),
    );
    const counts: number[] = [];
    const ema = emaOf(runner);
    const update = ema.afterTrainIter.bind(ema);
    ema.afterTrainIter = (r: Runner) => {
      update(r);
      if ((r.iter + 1) % 50 === 0) counts.push(tf.memory().numTensors);
    };
    await runner.train();
    expect(counts).toHaveLength(6);
    expect(new Set(counts).size).toBe(1);
  });

  it('rejects begin_iter with begin_epoch, typos (with a hint) and a begin beyond the run', async () => {
    await expect(createRunner(emaRunConfig(tempDir(), { begin_iter: 3, begin_epoch: 1 }))).rejects.toThrow(/EMAHook: begin_iter and begin_epoch are both set/);
    await expect(createRunner(emaRunConfig(tempDir(), { momentom: 0.1 }))).rejects.toThrow(/unknown option "momentom".*did you mean "momentum"/is);
    await expect(createRunner(emaRunConfig(tempDir(), { ema_type: 'StochasticWeightAverage', gamma: 3 }))).rejects.toThrow(/unknown option "gamma"/);
    await expect(createRunner(emaRunConfig(tempDir(), { momentum: 2 }))).rejects.toThrow(/EMAHook\.momentum/);
    const r = await start(emaRunConfig(tempDir(), { begin_epoch: 3 }));
    r.logger.setConsole(() => {});
    await expect(r.train()).rejects.toThrow(/EMAHook\.begin_epoch: begin_epoch 3 is after the last epoch \(2\)/);
  });
});
