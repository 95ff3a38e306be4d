import { ConfigError } from '@trainkit/core';

export type Rule = 'greater' | 'less';

/** MMEngine's defaults for inferring whether a bigger metric is better. */
export const DEFAULT_GREATER_KEYS = ['acc', 'top', 'AR@', 'auc', 'precision', 'mAP', 'mDice', 'mIoU', 'mAcc', 'aAcc'];
export const DEFAULT_LESS_KEYS = ['loss'];

/**
 * The rule of a metric key: an exact (case-insensitive) match in greater_keys or less_keys,
 * then a substring match, greater keys first (so `top1_loss` counts as greater).
 */
export function inferRule(key: string, greaterKeys: readonly string[], lessKeys: readonly string[]): Rule {
  const k = key.toLowerCase();
  const greater = greaterKeys.map((g) => g.toLowerCase());
  const less = lessKeys.map((l) => l.toLowerCase());
  if (greater.includes(k)) return 'greater';
  if (less.includes(k)) return 'less';
  if (greater.some((g) => k.includes(g))) return 'greater';
  if (less.some((l) => k.includes(l))) return 'less';
  throw new ConfigError(`Cannot infer the rule for key ${key}, thus a specific rule must be specified.`, {
    path: 'rule',
    found: key,
    fix: "set rule: 'greater' or 'less' (or add the key to greater_keys / less_keys)",
  });
}

/** One rule per key: the explicit `rule` (shared or per key), else inferred. */
export function resolveRules(
  keys: readonly string[],
  rule: Rule | Rule[] | null | undefined,
  greaterKeys: readonly string[],
  lessKeys: readonly string[],
): Rule[] {
  if (Array.isArray(rule)) {
    if (rule.length !== keys.length) {
      throw new ConfigError(`rule has ${rule.length} entries but save_best has ${keys.length} keys`, {
        path: 'rule',
        found: rule,
        fix: 'give one rule per save_best key, or a single rule for all',
      });
    }
    return [...rule];
  }
  return keys.map((k) => rule ?? inferRule(k, greaterKeys, lessKeys));
}

export const INITIAL_BEST: Record<Rule, number> = { greater: Number.NEGATIVE_INFINITY, less: Number.POSITIVE_INFINITY };

export function isBetter(rule: Rule, score: number, best: number): boolean {
  return rule === 'greater' ? score > best : score < best;
}
