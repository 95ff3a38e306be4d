import { defineOptions, z } from '@trainkit/core';

/**
 * The hook's options: one zod schema gives both the run-time check of a config (unknown keys and
 * wrong values are errors with the config path) and, through `z.input`, the TypeScript type that
 * makes configs autocomplete (see the `declare module` in index.ts).
 */
export const iterationAlarmHookOptions = defineOptions({
  /** Check every `interval` train iterations. */
  interval: z.number().int().positive().default(10),
  /** The log var of the train step to watch. */
  loss_key: z.string().min(1).default('loss'),
  /** Alarm when the value is above this; null alarms only on NaN / infinity. */
  max_loss: z.number().nullable().default(null),
  /** `warn` logs the alarm; `stop` also ends training after the current iteration. */
  on_alarm: z.enum(['warn', 'stop']).default('warn'),
});

export type IterationAlarmHookOptions = z.input<typeof iterationAlarmHookOptions>;
