import { ConfigError } from '@trainkit/core';

export type Rule = 'greater' | 'less';

// MMEngine's default key lists (shared with CheckpointHook's save_best inference)
const GREATER_KEYS = ['acc', 'top', 'AR@', 'auc', 'precision', 'mAP', 'mDice', 'mIoU', 'mAcc', 'aAcc'].map((k) => k.toLowerCase());
const LESS_KEYS = ['loss'];

/**
 * Whether a larger or a smaller value of `monitor` is better, from its name: an exact match of a
 * known key first, then a known key inside the name, greater keys before less keys (so
 * `top1_loss` is greater, as in MMEngine).
 */
export function inferRule(monitor: string): Rule {
  const m = monitor.toLowerCase();
  if (GREATER_KEYS.includes(m)) return 'greater';
  if (LESS_KEYS.includes(m)) return 'less';
  if (GREATER_KEYS.some((k) => m.includes(k))) return 'greater';
  if (LESS_KEYS.some((k) => m.includes(k))) return 'less';
  throw new ConfigError(`cannot tell whether a larger or a smaller "${monitor}" is better`, {
    path: 'EarlyStoppingHook.rule',
    fix: "set rule: 'greater' or rule: 'less'",
  });
}
