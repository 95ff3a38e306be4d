import { ConfigError, defineOptions, parseOptions, z } from '@trainkit/core';

/** MMEngine's default `out_suffix` (its docstring omits `yaml`; the code has it). */
export const DEFAULT_OUT_SUFFIX = ['.json', '.log', '.py', 'yaml'];

export const loggerHookOptions = defineOptions({
  /** Train (and val/test iteration) lines every `interval` iterations. */
  interval: z.number().int({ error: 'interval must be an integer' }).positive().default(10),
  /** Skip the line of an epoch's last iteration when it does not fall on the interval. */
  ignore_last: z.boolean().default(true),
  /** `Exp name: ...` every this many train iterations (and at the end of each epoch). */
  interval_exp_name: z.number().int().positive().default(1000),
  /** Copy the run's logs to `<out_dir>/<work_dir name>/` after the run. */
  out_dir: z.string().min(1).nullable().optional(),
  /** File endings copied to out_dir. */
  out_suffix: z
    .union([z.string(), z.array(z.string())], { error: 'out_suffix is a file ending or a list of them, e.g. [".json", ".log"]' })
    .default(DEFAULT_OUT_SUFFIX),
  /** Keep the local copies of the files copied to out_dir. */
  keep_local: z.boolean().default(true),
  /** Step of validation scalars: completed epochs (true) or iterations (false). Default: by epoch unless the train loop is iteration-based. */
  log_metric_by_epoch: z.boolean().optional(),
  /** MMEngine's storage arguments; only the local filesystem is supported. */
  file_client_args: z.record(z.string(), z.unknown()).nullable().optional(),
  backend_args: z.record(z.string(), z.unknown()).nullable().optional(),
  /**
   * Every this many train iterations, histograms of the model's parameters and gradients go to
   * the vis backends that draw them (TensorBoard, W&B). Off by default: each one reads every
   * weight and gradient back from the device.
   */
  histogram_interval: z.number().int().positive().nullable().optional(),
  /** Live progress bar on a TTY (never off a TTY). */
  progress: z.boolean().default(true),
});

export type LoggerHookOptions = z.input<typeof loggerHookOptions>;
export type ParsedLoggerHookOptions = z.output<typeof loggerHookOptions> & { out_suffix: string[] };

const PATH = 'default_hooks.logger';

/** `{}` or `{backend: 'local'}` mean the local filesystem, which is all trainkit writes to. */
function isLocal(args: Record<string, unknown> | null | undefined): boolean {
  if (!args) return true;
  const keys = Object.keys(args);
  return keys.length === 0 || (keys.length === 1 && args.backend === 'local');
}

/** Parses and cross-checks the options as MMEngine's constructor does. */
export function parseLoggerHookOptions(options: LoggerHookOptions): ParsedLoggerHookOptions {
  const o = parseOptions(loggerHookOptions, options, PATH, 'LoggerHook');
  if (o.file_client_args && o.backend_args) {
    throw new ConfigError('file_client_args and backend_args cannot be set at the same time', {
      path: `${PATH}.file_client_args`,
      fix: 'keep backend_args (file_client_args is its deprecated name)',
    });
  }
  const storage = o.backend_args ?? o.file_client_args;
  const storageKey = o.backend_args ? 'backend_args' : 'file_client_args';
  if (storage && !o.out_dir) {
    throw new ConfigError(`${storageKey} only applies to out_dir, which is not set`, {
      path: `${PATH}.${storageKey}`,
      fix: `set out_dir or remove ${storageKey}`,
    });
  }
  if (!isLocal(storage)) {
    throw new ConfigError('LoggerHook copies logs with the local filesystem only', {
      path: `${PATH}.${storageKey}`,
      found: storage,
      fix: `remove ${storageKey} and point out_dir at a mounted folder (or sync the work_dir with your storage tool after the run)`,
    });
  }
  const suffixes = typeof o.out_suffix === 'string' ? [o.out_suffix] : o.out_suffix;
  return { ...o, out_suffix: suffixes };
}
