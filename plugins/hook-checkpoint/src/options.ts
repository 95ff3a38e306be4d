import { defineOptions, z } from '@trainkit/core';

const keys = z
  .union([z.string(), z.array(z.string())])
  .nullable()
  .optional();
const rule = z.enum(['greater', 'less']);

/** CheckpointHook's options: MMEngine's, plus `save_on_interrupt` and `async_save`. */
export const checkpointHookOptions = defineOptions({
  /** Save every `interval` epochs (or iterations with by_epoch=false); -1 never. */
  interval: z.number().int().default(-1),
  by_epoch: z.boolean().default(true),
  save_optimizer: z.boolean().default(true),
  save_param_scheduler: z.boolean().default(true),
  /** Checkpoints go to `out_dir/<work_dir name>` (default: work_dir itself). */
  out_dir: z.string().nullable().optional(),
  /** Keep only the newest N regular checkpoints; -1 (or 0) keeps all. */
  max_keep_ckpts: z.number().int().default(-1),
  save_last: z.boolean().default(true),
  /** A metric key, a list of keys, or 'auto' (the first metric of the first evaluation). */
  save_best: z
    .union([z.string(), z.array(z.string())], {
      error: (iss) =>
        iss.input === true
          ? "save_best: true does not say which metric is best: write save_best: 'auto' (the first metric of the first evaluation) or the metric's name, e.g. 'accuracy/top1'"
          : iss.input === false
            ? 'save_best: false is not a metric: write null (or leave save_best out) to save no best checkpoint'
            : "save_best takes a metric name, a list of names, or 'auto'",
    })
    .nullable()
    .optional(),
  /** 'greater' or 'less' for every key, or one per key; inferred from the key names when unset. */
  rule: z
    .union([rule, z.array(rule)], { error: (iss) => `rule must be greater, less or None, but got ${JSON.stringify(iss.input)}.` })
    .nullable()
    .optional(),
  greater_keys: keys,
  less_keys: keys,
  /** Python format string with one field, e.g. 'ckpt_{:03d}.safetensors'. */
  filename_tmpl: z.string().nullable().optional(),
  /** Keys kept in the published copies written after training (e.g. ['meta', 'state_dict']). */
  published_keys: keys,
  save_begin: z.number().int().min(0).default(0),
  /** Deprecated storage arguments of MMEngine: trainkit writes to the local file system. */
  file_client_args: z.record(z.string(), z.unknown()).nullable().optional(),
  backend_args: z.record(z.string(), z.unknown()).nullable().optional(),
  /** On SIGTERM/SIGINT (or requestStop) and on a crash, save a resumable checkpoint first. */
  save_on_interrupt: z.boolean().default(true),
  /** Write checkpoint files in the background while training goes on (one write at a time). */
  async_save: z.boolean().default(false),
  /** Largest checkpoint `load_from` / `resume` may download from a URL, in bytes (default 4 GiB). */
  download_max_size: z
    .number()
    .int()
    .positive()
    .default(4 * 2 ** 30),
  /** Seconds a URL download waits for a connection, the answer, or the next piece of data. */
  download_timeout: z.number().positive().default(60),
});

export type CheckpointHookOptions = z.input<typeof checkpointHookOptions>;
