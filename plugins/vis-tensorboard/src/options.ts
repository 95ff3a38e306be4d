import { defineOptions, z } from '@trainkit/core';

/**
 * Options of TensorboardVisBackend. `save_dir` is MMEngine's; the others tune the event file
 * writer and default to what suits a training run.
 */
export const tensorboardVisBackendOptions = defineOptions({
  /** Folder of the event files (one TensorBoard run). The runner sets `<run>/vis_data`. */
  save_dir: z.string().optional(),
  name: z.string().optional(),
  /** Seconds between automatic flushes to disk. */
  flush_secs: z.number().positive().default(10),
  /** Most megabytes waiting in memory for the disk before writes turn synchronous. */
  max_queue_mb: z.number().positive().default(8),
  /** `simple_value` (compact, every TensorBoard reads it) or `tensor` (TF2 style). */
  scalar_form: z.enum(['simple_value', 'tensor']).default('simple_value'),
  /** Write the run's hparams (from the config) and final metrics for the HParams tab on close. */
  add_hparams: z.boolean().default(true),
  /** Appended to the event file name. */
  filename_suffix: z.string().default(''),
});

export type TensorboardVisBackendOptions = z.input<typeof tensorboardVisBackendOptions>;
