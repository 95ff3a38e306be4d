import { describe, expect, it } from 'vitest';
import { ConfigError, Hook, Priority, type PriorityLike, getPriority } from '../src/index.js';
import { HookPlan } from '../src/public/plugin.js';

/** A hook that implements `afterTrainIter` and `afterValEpoch` under a given type name. */
function hook(name: string, priority: PriorityLike, constraints: { after?: string[]; before?: string[] } = {}): Hook {
  const h = new (class extends Hook {
    override afterTrainIter(): void {}
    override afterValEpoch(): void {}
  })();
  h.typeName = name;
  h.priority = priority;
  h.runAfter = constraints.after ?? [];
  h.runBefore = constraints.before ?? [];
  return h;
}

const order = (plan: HookPlan, point: 'afterTrainIter' | 'afterValEpoch' = 'afterTrainIter') => plan.get(point).map((c) => c.hook.displayName);

describe('getPriority (spec seed 2)', () => {
  it('resolves names in any case, enum values and integers in 0..100', () => {
    expect(getPriority('very_high')).toBe(10);
    expect(getPriority(Priority.LOW)).toBe(70);
    expect(getPriority(55)).toBe(55);
    expect(() => getPriority(101)).toThrow(ConfigError);
    expect(() => getPriority(1.5)).toThrow(/between 0 and 100/);
    expect(() => getPriority('urgent' as never)).toThrow(/unknown priority/);
  });
});

describe('HookPlan', () => {
  it('orders by priority, ties in registration order, when there are no constraints', () => {
    const plan = new HookPlan([hook('A', 'NORMAL'), hook('B', 'HIGH'), hook('C', 'NORMAL'), hook('D', 0)]);
    expect(order(plan)).toEqual(['D', 'B', 'A', 'C']);
  });

  it('lets run_before / run_after override priorities: a hook waits until those it follows have run', () => {
    const base = () => [hook('A', 10), hook('B', 50), hook('C', 90)];
    const [a, b, c] = base();
    c.runBefore = ['A'];
    expect(order(new HookPlan([a, b, c]))).toEqual(['B', 'C', 'A']);
    const [a2, b2, c2] = base();
    a2.runAfter = ['C'];
    expect(order(new HookPlan([a2, b2, c2]))).toEqual(['B', 'C', 'A']);
  });

  it('keeps EMAHook before CheckpointHook at LOWEST priority, moving nothing else', () => {
    const hooks = [
      hook('RuntimeInfoHook', 'VERY_HIGH'),
      hook('IterTimerHook', 'NORMAL'),
      hook('LoggerHook', 'BELOW_NORMAL'),
      hook('ParamSchedulerHook', 'LOW'),
      hook('CheckpointHook', 'VERY_LOW'),
      hook('EMAHook', 'LOWEST', { before: ['CheckpointHook'] }),
    ];
    const expected = ['RuntimeInfoHook', 'IterTimerHook', 'LoggerHook', 'ParamSchedulerHook', 'EMAHook', 'CheckpointHook'];
    expect(order(new HookPlan(hooks))).toEqual(expected);
    expect(order(new HookPlan(hooks), 'afterValEpoch')).toEqual(expected);
  });

  it('applies a constraint only at points both hooks implement, and ignores absent names', () => {
    const onlyIter = new (class extends Hook {
      override afterTrainIter(): void {}
    })();
    onlyIter.typeName = 'Early';
    onlyIter.priority = 'VERY_HIGH';
    const late = hook('Late', 'LOWEST', { before: ['Early', 'NotInThisRun'] });
    const plan = new HookPlan([onlyIter, late]);
    expect(order(plan)).toEqual(['Late', 'Early']);
    expect(order(plan, 'afterValEpoch')).toEqual(['Late']);
  });

  it('prints the resolved plan per point in the hook-order block', () => {
    const plan = new HookPlan([hook('A', 10), hook('EMAHook', 49, { before: ['A'] })]);
    expect(plan.describe()).toContain('after_train_iter:\n(49          ) EMAHook\n(VERY_HIGH   ) A\n --------------------');
  });

  it('fails on contradicting constraints with the cycle spelled out', () => {
    const a = hook('EMAHook', 'NORMAL', { before: ['CheckpointHook'] });
    const c = hook('CheckpointHook', 'VERY_LOW', { before: ['EMAHook'] });
    let error: unknown;
    try {
      new HookPlan([a, c]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('hook ordering constraints contradict each other at after_train_iter');
    expect(message).toMatch(/(EMAHook -> CheckpointHook -> EMAHook|CheckpointHook -> EMAHook -> CheckpointHook)/);
    expect(message).toContain('EMAHook run_before CheckpointHook');
    expect(message).toContain('CheckpointHook run_before EMAHook');
    expect(message).toContain('fix: remove one of the run_after / run_before constraints');
  });

  it('names only the cycle when other hooks wait behind it', () => {
    // Waiting is registered first and depends on the cycle X -> Y -> Z -> X without being in it
    const waiting = hook('Waiting', 0, { after: ['Y'] });
    const x = hook('X', 10, { before: ['Y'] });
    const y = hook('Y', 20, { before: ['Z'] });
    const z = hook('Z', 30, { before: ['X'] });
    expect(() => new HookPlan([waiting, x, y, z])).toThrow(/: (X -> Y -> Z -> X|Y -> Z -> X -> Y|Z -> X -> Y -> Z) \(/);
  });
});
