import { HOOKS, getPriority } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import { runnerFor, trainRecordingCalls } from './run-config.js';

describe('found through the "trainkit" manifest', () => {
  it('imports the installed package for a config that only names the hook', async () => {
    expect(HOOKS.has('IterationAlarmHook')).toBe(false);
    const runner = await runnerFor('iteration_alarm_discovered.ts');
    const hook = runner.hooks.find((h) => h.displayName === 'IterationAlarmHook')!;
    expect(getPriority(hook.priority)).toBe(40); // its own default, ABOVE_NORMAL
    const iterations = await trainRecordingCalls(runner);
    for (const calls of iterations) expect(calls).toEqual(['RuntimeInfoHook', 'IterationAlarmHook', 'IterTimerHook']);
    await runner.dispose();
  });
});
