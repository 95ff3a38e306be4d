import type * as tf from '@tensorflow/tfjs';
import type { DataLoader } from '../data/dataloader.js';
import type { Runner } from '../runner/runner.js';

export interface LoopOptions {
  runner: Runner;
  dataloader: DataLoader;
}

/** Validation interval schedule: `[[milestone, interval], ...]` switches intervals at milestones. */
export type DynamicIntervals = Array<[number, number]>;

/** MMEngine's lookup: the interval of the last milestone `<= count` (counts start at 0). */
export function intervalAt(count: number, base: number, dynamic: DynamicIntervals | undefined): number {
  if (!dynamic?.length) return base;
  const milestones = [0, ...dynamic.map(([m]) => m)];
  const intervals = [base, ...dynamic.map(([, i]) => i)];
  let k = 0;
  for (let i = 0; i < milestones.length; i++) if (milestones[i] <= count) k = i;
  return intervals[k];
}

/** Frees the scalars a train step returned once every hook has seen them. */
export function disposeOutputs(outputs: Record<string, tf.Tensor | number> | undefined): void {
  if (!outputs) return;
  for (const k in outputs) {
    const v = outputs[k];
    if (typeof v !== 'number') v.dispose();
  }
}

/** How long a loop may run synchronously before it lets the event loop turn. */
const YIELD_EVERY_MS = 10;
let lastYield = performance.now();

/**
 * A loop over in-memory data never returns to the event loop on its own, so signal handlers
 * (Ctrl-C stopping the run), timers and I/O callbacks would wait until the run ends. Every
 * YIELD_EVERY_MS this returns a promise that resolves after they had their turn; otherwise
 * undefined, so the hot path costs one clock read.
 */
export function yieldToEventLoop(): Promise<void> | undefined {
  const now = performance.now();
  if (now - lastYield < YIELD_EVERY_MS) return undefined;
  lastYield = now;
  return new Promise((resolve) => setImmediate(resolve));
}
