/**
 * Every hook point, in MMEngine's order (used for printing; the loops decide call order), plus
 * `onException`, called with the error before a failed run unwinds so hooks can save or flush.
 */
export const HOOK_POINTS = [
  'beforeRun',
  'afterLoadCheckpoint',
  'beforeTrain',
  'beforeTrainEpoch',
  'beforeTrainIter',
  'afterTrainIter',
  'afterTrainEpoch',
  'beforeVal',
  'beforeValEpoch',
  'beforeValIter',
  'afterValIter',
  'afterValEpoch',
  'afterVal',
  'beforeSaveCheckpoint',
  'afterTrain',
  'beforeTest',
  'beforeTestEpoch',
  'beforeTestIter',
  'afterTestIter',
  'afterTestEpoch',
  'afterTest',
  'afterRun',
  'onException',
] as const;

export type HookPoint = (typeof HOOK_POINTS)[number];

/** MMEngine's snake_case name of a hook point, as printed in the hook-order block. */
export function snakeName(point: string): string {
  return point.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
