import { ConfigError } from '../errors.js';

/** Hook priorities as MMEngine names them: a lower value runs earlier. */
export const Priority = {
  HIGHEST: 0,
  VERY_HIGH: 10,
  HIGH: 30,
  ABOVE_NORMAL: 40,
  NORMAL: 50,
  BELOW_NORMAL: 60,
  LOW: 70,
  VERY_LOW: 90,
  LOWEST: 100,
} as const;

export type PriorityName = keyof typeof Priority;
export type PriorityLike = PriorityName | Lowercase<PriorityName> | number;

/** Resolves a priority name (any case) or a number in 0..100 to its value. */
export function getPriority(p: PriorityLike | string, path = 'priority'): number {
  if (typeof p === 'number') {
    if (!Number.isInteger(p) || p < 0 || p > 100) {
      throw new ConfigError('priority must be an integer between 0 and 100', {
        path,
        found: p,
        fix: `use a number in 0..100 or one of ${Object.keys(Priority).join(', ')}`,
      });
    }
    return p;
  }
  if (typeof p === 'string') {
    const v = (Priority as Record<string, number>)[p.toUpperCase()];
    if (v !== undefined) return v;
  }
  throw new ConfigError('unknown priority', {
    path,
    found: p,
    fix: `use one of ${Object.keys(Priority).join(', ')} or a number in 0..100`,
  });
}

/** The name MMEngine prints for a priority: the enum name for an exact value, else the number. */
export function priorityLabel(value: number): string {
  for (const [name, v] of Object.entries(Priority)) if (v === value) return name;
  return String(value);
}
