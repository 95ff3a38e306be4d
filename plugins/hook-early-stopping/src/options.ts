import { defineOptions, z } from '@trainkit/core';

export const earlyStoppingHookOptions = defineOptions({
  /** The metric to watch, as validation reports it (e.g. `accuracy/top1`, `toy/acc`). */
  monitor: z.string().min(1),
  /** `greater` or `less` is better; inferred from the name when unset. */
  rule: z.enum(['greater', 'less']).nullable().default(null),
  /** The least change that counts as an improvement. MMEngine's code default (its docstring says 0.01). */
  min_delta: z.number().default(0.1),
  /** Fail (instead of warning) when validation does not report `monitor`. */
  strict: z.boolean().default(false),
  /** Stop when the metric is NaN or infinite. */
  check_finite: z.boolean().default(true),
  /** Validations without improvement before stopping. */
  patience: z.number().int().min(0).default(5),
  /** Stop as soon as the metric is better than this. */
  stopping_threshold: z.number().nullable().default(null),
});

export type EarlyStoppingHookOptions = z.input<typeof earlyStoppingHookOptions>;
