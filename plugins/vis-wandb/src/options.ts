import { defineOptions, z } from '@trainkit/core';

/** One `define_metric` call (MMEngine passes each dict of a list as keyword arguments). */
export const defineMetricItem = z.strictObject({
  name: z.string().min(1),
  step_metric: z.string().optional(),
  step_sync: z.boolean().optional(),
  hidden: z.boolean().optional(),
  summary: z.string().optional(),
  goal: z.enum(['min', 'max', 'minimize', 'maximize']).optional(),
  overwrite: z.boolean().optional(),
});

/**
 * `wandb.init` arguments. Everything W&B's `init` takes is accepted so MMEngine configs carry over;
 * the README says which ones have no effect here.
 */
export const initKwargs = z.strictObject({
  project: z.string().nullable().optional(),
  entity: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  group: z.string().nullable().optional(),
  tags: z.array(z.string()).nullable().optional(),
  notes: z.string().nullable().optional(),
  job_type: z.string().nullable().optional(),
  id: z.string().nullable().optional(),
  resume: z
    .union([z.boolean(), z.enum(['allow', 'must', 'never', 'auto'])])
    .nullable()
    .optional(),
  config: z.record(z.string(), z.unknown()).nullable().optional(),
  config_exclude_keys: z.array(z.string()).nullable().optional(),
  config_include_keys: z.array(z.string()).nullable().optional(),
  dir: z.string().nullable().optional(),
  mode: z.enum(['online', 'offline', 'disabled', 'run', 'dryrun', 'shared']).nullable().optional(),
  allow_val_change: z.boolean().nullable().optional(),
  /** W&B Settings fields (`api_key`, `base_url`, `init_timeout`, the `x_*` retry/timeout knobs). */
  settings: z.record(z.string(), z.unknown()).nullable().optional(),
  // accepted for MMEngine/W&B configs, no effect in TypeScript
  save_code: z.boolean().nullable().optional(),
  reinit: z.union([z.boolean(), z.string()]).nullable().optional(),
  force: z.boolean().nullable().optional(),
  anonymous: z.string().nullable().optional(),
  monitor_gym: z.boolean().nullable().optional(),
  sync_tensorboard: z.boolean().nullable().optional(),
});

export const wandbVisBackendOptions = defineOptions({
  save_dir: z.string().optional(),
  name: z.string().optional(),
  init_kwargs: initKwargs.nullable().optional(),
  define_metric_cfg: z
    .union([z.record(z.string(), z.string()), z.array(defineMetricItem)])
    .nullable()
    .optional(),
  commit: z.boolean().default(true),
  log_code_name: z.string().nullable().optional(),
  watch_kwargs: z.record(z.string(), z.unknown()).nullable().optional(),
  /** trainkit: how long `close()` waits for the server to take everything (seconds). */
  close_timeout: z.number().positive().default(60),
});

export type WandbVisBackendOptions = z.input<typeof wandbVisBackendOptions>;
export type ParsedWandbOptions = z.output<typeof wandbVisBackendOptions>;
export type InitKwargs = z.output<typeof initKwargs>;
export type DefineMetricItem = z.output<typeof defineMetricItem>;
