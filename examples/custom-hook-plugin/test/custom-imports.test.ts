import { HOOKS, getPriority } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import type { IterationAlarmHook } from '../src/index.js';
import { runnerFor, trainRecordingCalls } from './run-config.js';

describe('loaded through custom_imports', () => {
  it("registers the hook from the package's name and calls it where its priority says", async () => {
    expect(HOOKS.has('IterationAlarmHook')).toBe(false);
    const runner = await runnerFor('iteration_alarm_custom_imports.ts');
    expect(HOOKS.getEntry('IterationAlarmHook')?.from).toBe('trainkit-plugin-iteration-alarm');
    const hook = runner.hooks.find((h) => h.displayName === 'IterationAlarmHook') as IterationAlarmHook;
    expect(getPriority(hook.priority)).toBe(30); // the config's priority: 'HIGH'

    const iterations = await trainRecordingCalls(runner);
    expect(iterations).toHaveLength(15);
    // HIGH (30) runs after RuntimeInfoHook (VERY_HIGH, 10) and before IterTimerHook (NORMAL, 50)
    for (const calls of iterations) expect(calls).toEqual(['RuntimeInfoHook', 'IterationAlarmHook', 'IterTimerHook']);
    expect(hook.alarms.map((a) => a.iter)).toEqual(expect.arrayContaining([5]));
    expect(runner.messageHub.getInfo('iteration_alarm')).toEqual(hook.alarms.at(-1));
    await runner.dispose();
  });

  it('moves with a priority given on the command line, and stops training on an alarm when asked', async () => {
    const runner = await runnerFor('iteration_alarm_custom_imports.ts', { 'custom_hooks.0.priority': 'LOWEST', 'custom_hooks.0.on_alarm': 'stop' });
    const iterations = await trainRecordingCalls(runner);
    expect(iterations[0]).toEqual(['RuntimeInfoHook', 'IterTimerHook', 'IterationAlarmHook']);
    expect(runner.iter).toBe(5); // the first check, at iteration 5, raised the alarm
    await runner.dispose();
  });

  it('rejects a mistyped option with the config path and a hint', async () => {
    await expect(runnerFor('iteration_alarm_custom_imports.ts', { 'custom_hooks.0.max_los': 1 })).rejects.toThrow(
      /custom_hooks\.0\.max_los: unknown option "max_los" for IterationAlarmHook\. Did you mean "max_loss"\?/,
    );
  });
});
