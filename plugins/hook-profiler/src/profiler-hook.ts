import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, Hook, type PriorityLike, type Runner, parseOptions, type z } from '@trainkit/core';
import { drainBackend } from '@trainkit/core/backend';
import { chromeTrace } from './chrome-trace.js';
import { CpuProfiler } from './cpu-profiler.js';
import { KernelRecorder } from './kernel-recorder.js';
import { kernelTable } from './kernel-table.js';
import { type ProfilerHookOptions, logTraceOptions, profilerHookOptions } from './options.js';
import { type StepAction, stepAction } from './schedule.js';
import type { ProfileResult, ProfiledIteration } from './types.js';

type Options = z.output<typeof profilerHookOptions>;

interface Window {
  openedAt: number;
  iterations: ProfiledIteration[];
}

/**
 * Profiles chosen train iterations (MMEngine's ProfilerHook, for TensorFlow.js): the kernels
 * the backend runs (tf.profile: names, times, memory) and/or a V8 CPU profile of the JS thread.
 * Each window of profiled iterations leaves, in `<log_dir>/<dir_name>/`:
 *
 * - `<window>.trace.json`: the kernels as a Chrome trace (ui.perfetto.dev, chrome://tracing);
 * - `<window>.kernels.txt`: per-kernel totals (also logged with `on_trace_ready: log_trace`);
 * - `<window>.cpuprofile`: the CPU profile (Chrome DevTools' Performance panel, VS Code).
 *
 * A window is the first `profile_times` epochs (`by_epoch`) or iterations, or with a
 * `schedule` every `active` span of the cycle within them. The profiled span of an iteration
 * runs from this hook's `beforeTrainIter` to its `afterTrainIter`: the train step and the
 * `afterTrainIter` work of the hooks that run before this one.
 */
export class ProfilerHook extends Hook {
  override priority: PriorityLike = 'VERY_LOW';
  readonly options: Options;
  private readonly logTrace: z.output<typeof logTraceOptions> | undefined;
  private readonly callback: ((result: ProfileResult) => unknown) | undefined;
  private readonly kernels = new KernelRecorder();
  private readonly cpu: CpuProfiler;
  /** Train iterations seen inside the profiled span (the schedule's step). */
  private step = 0;
  private epochsSeen = 0;
  private epochInSpan = false;
  private action: StepAction = 'skip';
  private window: Window | undefined;
  private current: { iter: number; start: number } | undefined;
  private windows = 0;

  constructor(opts: ProfilerHookOptions = {}) {
    super();
    const o = parseOptions(profilerHookOptions, opts, '', 'ProfilerHook');
    if (!o.activity_with_kernels && !o.activity_with_cpu) {
      throw new ConfigError('nothing to record: activity_with_kernels and activity_with_cpu are both off', {
        path: 'ProfilerHook',
        fix: 'set activity_with_kernels and/or activity_with_cpu to true',
      });
    }
    this.options = o;
    this.cpu = new CpuProfiler(o.cpu_sampling_interval);
    const ready = o.on_trace_ready;
    if (typeof ready === 'function') this.callback = ready;
    else if (ready) this.logTrace = parseTraceReady(ready);
  }

  override beforeRun(runner: Runner): void {
    if (!runner.trainLoop) return; // only training is profiled
    const max = this.options.by_epoch ? runner.maxEpochs : runner.maxIters;
    if (this.options.profile_times > max) {
      throw new ConfigError(
        `profile_times ${this.options.profile_times} is more than the run has ${this.options.by_epoch ? 'epochs' : 'iterations'} (${max})`,
        {
          path: 'ProfilerHook.profile_times',
          fix: `use a value <= ${max}`,
        },
      );
    }
  }

  override beforeTrainEpoch(): void {
    if (!this.options.by_epoch) return;
    this.epochInSpan = this.epochsSeen < this.options.profile_times;
    this.epochsSeen++;
  }

  override async beforeTrainIter(runner: Runner): Promise<void> {
    if (!this.inSpan()) return;
    const s = this.options.schedule;
    this.action = s ? stepAction(this.step, s) : 'record';
    if (this.action === 'skip' || this.action === 'warmup') return;
    if (!this.window) {
      this.window = { openedAt: -1, iterations: [] };
      if (this.options.activity_with_cpu) await this.cpu.start();
    }
    // on a GPU, work queued by earlier iterations must not count as this one's
    await drainBackend();
    if (this.options.activity_with_kernels) this.kernels.start();
    const now = performance.now();
    // the trace's clock starts at the first iteration, not at the (slow) CPU profiler start
    if (this.window.openedAt < 0) this.window.openedAt = now;
    this.current = { iter: runner.iter, start: now };
  }

  override async afterTrainIter(runner: Runner): Promise<void> {
    if (!this.inSpan()) return;
    this.step++;
    const current = this.current;
    if (!current) return;
    // a GPU iteration ends when its kernels have run, not when they were queued
    await drainBackend();
    const end = performance.now();
    this.current = undefined;
    const lastInSpan = !this.options.by_epoch && this.step >= this.options.profile_times;
    const closing = this.action === 'record_and_save' || lastInSpan;
    const kernels = await this.kernels.stop();
    this.window!.iterations.push({ iter: current.iter, startMs: current.start - this.window!.openedAt, wallMs: end - current.start, kernels });
    if (closing) await this.closeWindow(runner);
  }

  override async afterTrainEpoch(runner: Runner): Promise<void> {
    if (this.options.by_epoch && this.epochInSpan && this.window) await this.closeWindow(runner);
  }

  /** A run that ends inside a window (stopped early) still writes what was recorded. */
  override async afterTrain(runner: Runner): Promise<void> {
    if (this.window) await this.closeWindow(runner);
  }

  /** Profiling must not stay switched on after a failure; what was recorded is written. */
  override async onException(runner: Runner): Promise<void> {
    if (!this.window) return;
    if (this.current) {
      await this.kernels.stop();
      this.current = undefined;
    }
    await this.closeWindow(runner);
  }

  private inSpan(): boolean {
    return this.options.by_epoch ? this.epochInSpan : this.step < this.options.profile_times;
  }

  private async closeWindow(runner: Runner): Promise<void> {
    const w = this.window!;
    this.window = undefined;
    const o = this.options;
    const cpuProfile = this.cpu.running ? await this.cpu.stop() : undefined;
    const its = w.iterations;
    const label =
      o.by_epoch && !o.schedule
        ? `epoch_${runner.epoch + 1}`
        : its.length
          ? `iter_${its[0].iter + 1}-${its[its.length - 1].iter + 1}`
          : `window_${this.windows + 1}`;
    const dir = path.resolve(runner.logDir, o.dir_name);
    fs.mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    const backend = tf.getBackend();
    const table = kernelTable(its, { sortBy: this.logTrace?.sort_by ?? 'total_ms', rowLimit: this.logTrace?.row_limit ?? 50, profileMemory: o.profile_memory });
    if (o.activity_with_kernels) {
      const trace = chromeTrace(its, {
        backend,
        processName: `trainkit ${runner.experimentName}`,
        recordShapes: o.record_shapes,
        profileMemory: o.profile_memory,
      });
      files.push(write(this.tracePath(runner, dir, label), JSON.stringify(trace)));
      files.push(write(path.join(dir, `${label}.kernels.txt`), `${table}\n`));
    }
    if (cpuProfile) files.push(write(path.join(dir, `${label}.cpuprofile`), JSON.stringify(cpuProfile)));
    this.windows++;
    if (this.logTrace && o.activity_with_kernels) runner.logger.info(`ProfilerHook: kernels of ${label} (${backend} backend)\n${table}`);
    runner.logger.info(`ProfilerHook: wrote ${files.join(', ')}`);
    await this.callback?.({ label, backend, iterations: its, cpuProfile, table, files });
  }

  private tracePath(runner: Runner, dir: string, label: string): string {
    const custom = this.options.json_trace_path;
    if (!custom) return path.join(dir, `${label}.trace.json`);
    const file = path.resolve(runner.logDir, custom);
    if (this.windows === 0) return file;
    const ext = path.extname(file);
    return `${file.slice(0, file.length - ext.length)}_${this.windows + 1}${ext}`;
  }
}

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function parseTraceReady(ready: { type: string }): z.output<typeof logTraceOptions> {
  if (ready.type === 'tb_trace') {
    throw new ConfigError("on_trace_ready type 'tb_trace' is not available: TensorBoard's profile plugin reads PyTorch traces", {
      path: 'ProfilerHook.on_trace_ready',
      fix: "drop it (the Chrome trace is always written; open it in ui.perfetto.dev) or use {type: 'log_trace'}",
    });
  }
  return parseOptions(logTraceOptions, ready, 'ProfilerHook.on_trace_ready', "on_trace_ready {type: 'log_trace'}");
}
