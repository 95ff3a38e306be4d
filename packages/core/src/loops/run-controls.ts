import { z } from 'zod';
import type { DataLoader } from '../data/dataloader.js';
import { ConfigError } from '../errors.js';

/**
 * Lightning's `limit_*_batches`: an integer counts batches, a number strictly between 0 and 1 is
 * the fraction of the dataloader's batches. (JavaScript has no 1.0 apart from 1, so "all" is
 * spelled by leaving the option out.)
 */
export const limitBatchesOption = z
  .number()
  .positive()
  .refine((n) => Number.isInteger(n) || n < 1, { message: 'a batch count (integer >= 1) or a fraction between 0 and 1' })
  .optional();

/** Applies a `limit_*_batches` value to `dataloader` (at `configPath`); a no-op when unset. */
export function limitBatches(dataloader: DataLoader, limit: number | undefined, configPath: string): void {
  if (limit === undefined) return;
  const full = dataloader.unlimitedLength;
  const n = Number.isInteger(limit) ? limit : Math.floor(full * limit);
  if (n < 1) {
    throw new ConfigError(`${limit} of ${full} batches is no batch at all`, {
      path: configPath,
      found: limit,
      fix: `give a larger fraction (at least ${(1 / Math.max(full, 1)).toPrecision(2)}) or a batch count`,
    });
  }
  dataloader.limit = n;
}

/** `max_time` as Lightning takes it: seconds, or "DD:HH:MM:SS". */
export const maxTimeOption = z.union([z.number().positive(), z.string()]).optional();

/** `max_time` in milliseconds (undefined when unset). */
export function parseMaxTime(value: number | string | undefined, configPath = 'train_cfg.max_time'): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value * 1000;
  const m = /^(\d+):(\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(value.trim());
  if (!m) {
    throw new ConfigError('max_time is neither seconds nor "DD:HH:MM:SS"', {
      path: configPath,
      found: value,
      fix: 'give seconds (max_time: 3600) or days:hours:minutes:seconds (max_time: "00:01:00:00")',
    });
  }
  const [d, h, min, s] = m.slice(1).map(Number);
  const ms = (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
  if (ms <= 0) throw new ConfigError('max_time must be longer than zero', { path: configPath, found: value, fix: 'give a positive duration' });
  return ms;
}
