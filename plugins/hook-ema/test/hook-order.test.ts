import { HOOKS, Hook, type Runner, createRunner, z } from '@trainkit/core';
import { HookPlan } from '@trainkit/core/plugin';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import '@trainkit/hook-early-stopping';
import '../src/index.js';
import { type StandInCheckpointHook, emaOf } from './fixtures.js';

// Stand-ins with the names, priorities and points of the default hooks whose plugins are
// written in parallel (@trainkit/hook-logger, @trainkit/optim); CheckpointHook's is in fixtures.
class LoggerHook extends Hook {
  override priority = 'BELOW_NORMAL' as const;
  override beforeRun(): void {}
  override afterTrainIter(): void {}
  override afterValEpoch(): void {}
  override afterRun(): void {}
}
class ParamSchedulerHook extends Hook {
  override priority = 'LOW' as const;
  override afterTrainIter(): void {}
  override afterTrainEpoch(): void {}
  override afterValEpoch(): void {}
}
HOOKS.register('LoggerHook', LoggerHook, { force: true, options: z.looseObject({}) });
HOOKS.register('ParamSchedulerHook', ParamSchedulerHook, { force: true, options: z.looseObject({}) });

const runners: Runner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) {
    await r.dispose();
    emaOf(r)?.dispose();
  }
});

async function build(overrides: Record<string, unknown>): Promise<{ runner: Runner }> {
  const runner = await createRunner(toyConfig(tempDir(), { env_cfg: { backend: 'cpu' }, ...overrides }));
  runners.push(runner);
  return { runner };
}

describe('hook order with the default hooks', () => {
  it('slots custom hooks by priority after equal defaults (spec seed 1)', async () => {
    const { runner } = await build({
      custom_hooks: [{ type: 'EMAHook' }, { type: 'EarlyStoppingHook', monitor: 'acc' }, { type: 'IterTimerHook', priority: 'HIGHEST' }],
    });
    expect(runner.hooks.map((h) => h.displayName)).toEqual([
      'IterTimerHook',
      'RuntimeInfoHook',
      'IterTimerHook',
      'DistSamplerSeedHook',
      'EMAHook',
      'LoggerHook',
      'ParamSchedulerHook',
      'CheckpointHook',
      'EarlyStoppingHook',
    ]);
    expect(runner.hooks[0].priority).toBe('HIGHEST');
  });

  it('removes and replaces default hooks (spec seed 3)', async () => {
    const { runner } = await build({ default_hooks: { timer: null, checkpoint: { type: 'CheckpointHook', interval: 2 } } });
    expect(runner.hooks.map((h) => h.displayName)).toEqual(['RuntimeInfoHook', 'DistSamplerSeedHook', 'LoggerHook', 'ParamSchedulerHook', 'CheckpointHook']);
    expect((runner.hooks[4] as StandInCheckpointHook).interval).toBe(2);
    await expect(build({ default_hooks: { foo: null } })).rejects.toThrow(
      /default_hooks\.foo: default_hooks\.foo is null but there is no default hook named "foo"/,
    );
  });

  it('prints a priority of 49 as the number, padded (spec seed 4, without trailing spaces)', async () => {
    const { runner } = await build({ custom_hooks: [{ type: 'EMAHook', priority: 49 }] });
    // the block the runner logs at INFO ("Hooks will be executed in the following order:");
    // MMEngine pads the class name to 35 columns, trainkit's logs never end lines in spaces
    expect(new HookPlan(runner.hooks).describe()).toContain(
      'before_run:\n(VERY_HIGH   ) RuntimeInfoHook\n(49          ) EMAHook\n(BELOW_NORMAL) LoggerHook\n --------------------\n',
    );
  });

  it('keeps EMAHook before CheckpointHook where both act, with priorities that say otherwise', async () => {
    const { runner } = await build({ custom_hooks: [{ type: 'EMAHook', priority: 'LOWEST' }] });
    const at = (p: Parameters<Runner['hooksAt']>[0]) => runner.hooksAt(p).map((h) => h.displayName);
    expect(at('afterTrainIter')).toEqual(['RuntimeInfoHook', 'IterTimerHook', 'LoggerHook', 'ParamSchedulerHook', 'EMAHook', 'CheckpointHook']);
    expect(at('afterValEpoch')).toEqual(['RuntimeInfoHook', 'IterTimerHook', 'LoggerHook', 'ParamSchedulerHook', 'EMAHook', 'CheckpointHook']);
    // a config's own run_after adds to the hook's declared constraints
    const { runner: r2 } = await build({ custom_hooks: [{ type: 'EMAHook', run_after: ['ParamSchedulerHook'], priority: 'HIGHEST' }] });
    expect(r2.hooksAt('afterTrainIter').map((h) => h.displayName)).toEqual([
      'RuntimeInfoHook',
      'IterTimerHook',
      'LoggerHook',
      'ParamSchedulerHook',
      'EMAHook',
      'CheckpointHook',
    ]);
    await expect(build({ custom_hooks: [{ type: 'EMAHook', run_after: ['CheckpointHook'] }] })).rejects.toThrow(
      /contradict each other at after_train_iter: .*EMAHook run_before CheckpointHook.*EMAHook run_after CheckpointHook/,
    );
  });
});
