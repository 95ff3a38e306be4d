/**
 * @trainkit/hook-logger: MMEngine's LoggerHook for trainkit. The text log, the JSON logs and the
 * scalars handed to the visualizer, validation and test results, a terminal progress bar, and the
 * copy of the logs to `out_dir`. Importing it registers `LoggerHook` in HOOKS.
 */
import { definePlugin } from '@trainkit/core/plugin';
import type { z } from '@trainkit/core';
import { LoggerHook } from './logger-hook.js';
import { loggerHookOptions } from './options.js';

export { LoggerHook } from './logger-hook.js';
export { loggerHookOptions, parseLoggerHookOptions, DEFAULT_OUT_SUFFIX, type LoggerHookOptions } from './options.js';
export { intervalWarning, roundInterval, type TrainLoopShape } from './interval-check.js';
export { ProgressDisplay, isInteractive, type ProgressState, type ProgressStream } from './progress.js';
export { filesWithSuffix, uploadLogs, type UploadOptions } from './upload.js';
export { jsonTags } from './json-tags.js';

export const plugin = definePlugin({ name: '@trainkit/hook-logger', provides: { HOOKS: { LoggerHook: { cls: LoggerHook, options: loggerHookOptions } } } });

declare module '@trainkit/core' {
  interface HookOptionsMap {
    LoggerHook: z.input<typeof loggerHookOptions>;
  }
}
