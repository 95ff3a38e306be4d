/**
 * @trainkit/hook-profiler: ProfilerHook, which profiles chosen train iterations (TensorFlow.js
 * kernels and a V8 CPU profile) and writes files Perfetto, chrome://tracing, Chrome DevTools
 * and VS Code open.
 */
import { definePlugin } from '@trainkit/core/plugin';
import { type ProfilerHookOptions, profilerHookOptions } from './options.js';
import { ProfilerHook } from './profiler-hook.js';

export { ProfilerHook } from './profiler-hook.js';
export { type ProfilerHookOptions, type ScheduleOptions, profilerHookOptions } from './options.js';
export type { KernelRecord, ProfileResult, ProfiledIteration } from './types.js';
export { KernelRecorder } from './kernel-recorder.js';
export { CpuProfiler } from './cpu-profiler.js';
export { chromeTrace } from './chrome-trace.js';
export { kernelTable } from './kernel-table.js';
export { stepAction, type StepAction } from './schedule.js';

export const plugin = definePlugin({
  name: '@trainkit/hook-profiler',
  provides: { HOOKS: { ProfilerHook: { cls: ProfilerHook, options: profilerHookOptions } } },
});

declare module '@trainkit/core' {
  interface HookOptionsMap {
    ProfilerHook: ProfilerHookOptions;
  }
}
