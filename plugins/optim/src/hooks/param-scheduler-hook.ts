import { Hook, type Metrics, type ParamSchedulerLike, type Runner, TrainkitError, defineOptions } from '@trainkit/core';

export const paramSchedulerHookOptions = defineOptions({});

/**
 * Steps the runner's parameter schedulers: iteration-based ones after every train iteration,
 * epoch-based ones after every train epoch, and metric-driven ones (ReduceOnPlateau) after
 * validation with its metrics. Priority LOW runs it after LoggerHook, so the lr logged for an
 * iteration is the lr that iteration used.
 */
export class ParamSchedulerHook extends Hook {
  override priority = 'LOW' as const;

  override afterTrainIter(runner: Runner): void {
    forEachScheduler(runner, (s) => {
      if (!s.byEpoch) s.step();
    });
  }

  override afterTrainEpoch(runner: Runner): void {
    forEachScheduler(runner, (s) => {
      if (s.byEpoch) s.step();
    });
  }

  override afterValEpoch(runner: Runner, metrics?: Metrics): void {
    if (!metrics) return;
    forEachScheduler(runner, (s) => {
      if (s.byEpoch && s.needValArgs) s.step(metrics);
    });
  }
}

/** Visits every scheduler whether the runner holds a list or a dict of lists (one per optimizer). */
function forEachScheduler(runner: Runner, fn: (s: ParamSchedulerLike) => void): void {
  const all = runner.paramSchedulers;
  if (all === undefined || all === null) return;
  if (Array.isArray(all)) {
    for (const s of all) fn(s);
    return;
  }
  if (typeof all === 'object') {
    for (const [name, list] of Object.entries(all)) {
      if (!Array.isArray(list)) throw new TrainkitError(`runner.paramSchedulers.${name} must be a list of schedulers, got ${typeof list}`);
      for (const s of list) fn(s);
    }
    return;
  }
  throw new TrainkitError(`runner.paramSchedulers must be a list or a dict of lists, got ${typeof all}`);
}
