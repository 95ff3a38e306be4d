import type { ScheduleOptions } from './options.js';

export type StepAction = 'skip' | 'warmup' | 'record' | 'record_and_save';

/**
 * What to do at the `step`-th profiled iteration (0-based) under torch.profiler.schedule's rule:
 * after `skip_first`, cycles of `wait` skipped, `warmup` unrecorded and `active` recorded
 * iterations, `repeat` times (0: forever); the last recorded iteration of a cycle closes a window.
 */
export function stepAction(step: number, s: ScheduleOptions): StepAction {
  if (step < s.skip_first) return 'skip';
  const k = step - s.skip_first;
  const cycle = s.wait + s.warmup + s.active;
  if (s.repeat > 0 && Math.floor(k / cycle) >= s.repeat) return 'skip';
  const at = k % cycle;
  if (at < s.wait) return 'skip';
  if (at < s.wait + s.warmup) return 'warmup';
  return at === cycle - 1 ? 'record_and_save' : 'record';
}
