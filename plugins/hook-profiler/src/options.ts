import { defineOptions, z } from '@trainkit/core';
import type { ProfileResult } from './types.js';

const count = z.number().int().min(0);

/** torch.profiler.schedule's cycle, over the train iterations the hook profiles. */
export const scheduleOptions = z.strictObject({
  /** Iterations skipped at the start of each cycle. */
  wait: count.default(0),
  /** Iterations run but not recorded next (backends compile kernels / shaders on first use). */
  warmup: count.default(0),
  /** Iterations recorded; a window of files is written after them. */
  active: z.number().int().min(1),
  /** Cycles to run; 0 repeats until the profiled span ends. */
  repeat: count.default(0),
  /** Iterations skipped once, before the first cycle. */
  skip_first: count.default(0),
});

export type ScheduleOptions = z.output<typeof scheduleOptions>;

export const sortKeys = ['total_ms', 'mean_ms', 'calls', 'bytes'] as const;

export const profilerHookOptions = defineOptions({
  /** Profile the first `profile_times` epochs (true) or iterations (false). */
  by_epoch: z.boolean().default(true),
  profile_times: z.number().int().min(1).default(1),
  schedule: scheduleOptions.nullable().default(null),
  /** Record TensorFlow.js kernels (tf.profile): names, times, memory. */
  activity_with_kernels: z.boolean().default(true),
  /** Record a V8 CPU profile of the JS thread (node:inspector). */
  activity_with_cpu: z.boolean().default(true),
  /** Sampling interval of the CPU profile, in microseconds (V8's default is 1000). */
  cpu_sampling_interval: z.number().int().positive().default(100),
  /** Put kernels' input and output shapes in the trace. */
  record_shapes: z.boolean().default(false),
  /** Put bytes added per kernel in the trace and the table, and a live-bytes counter track. */
  profile_memory: z.boolean().default(false),
  /** `{type: 'log_trace', sort_by, row_limit}` logs the kernel table; a function gets the result; null does neither. */
  on_trace_ready: z
    .union([z.looseObject({ type: z.string() }), z.custom<(result: ProfileResult) => unknown>((v) => typeof v === 'function'), z.null()])
    .default({ type: 'log_trace' }),
  /** Folder for the files, relative to the run's log folder. */
  dir_name: z.string().min(1).default('profiler'),
  /** Path of the kernel trace instead of `<dir_name>/<window>.trace.json` (relative to the log folder). */
  json_trace_path: z.string().nullable().default(null),
});

export type ProfilerHookOptions = z.input<typeof profilerHookOptions>;

export const logTraceOptions = z.strictObject({
  type: z.literal('log_trace'),
  sort_by: z.enum(sortKeys).default('total_ms'),
  row_limit: z.number().int().positive().default(20),
});
