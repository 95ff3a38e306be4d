import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, type RawImage, type ResumeInfo, type RunStatus, TrainkitError, type VisBackend, getLogger } from '@trainkit/core';
import { SummaryWriter } from '@trainkit/tfevents';
import { flattenHparams } from './hparams.js';
import type { TensorboardVisBackendOptions } from './options.js';

/**
 * MMEngine's TensorboardVisBackend on @trainkit/tfevents: scalars, images, the config as text and
 * the run's hparams, in event files under `save_dir`. Every call encodes into memory and returns;
 * the file is written in the background, flushed every `flush_secs`, on `flush()`/`close()` and
 * when the process exits or gets SIGINT/SIGTERM.
 */
export class TensorboardVisBackend implements VisBackend {
  readonly name: string | undefined;
  /** Folder of the event files; a resumed run may move it to the folder of the run it continues. */
  saveDir: string;
  private readonly opts: Required<Omit<TensorboardVisBackendOptions, 'save_dir' | 'name'>>;
  private summaryWriter: SummaryWriter | undefined;
  private config: Record<string, unknown> | undefined;
  private hparamsWritten = false;
  /** Last step written per tag, to keep each tag's steps from going back (see `accept`). */
  private readonly lastSteps = new Map<string, number>();
  private readonly warnedTags = new Set<string>();

  constructor(opts: TensorboardVisBackendOptions = {}) {
    if (!opts.save_dir)
      throw new ConfigError('TensorboardVisBackend needs a save_dir', {
        path: 'visualizer.vis_backends',
        fix: 'set save_dir (the folder of the event files), or let the runner set it to <run>/vis_data',
      });
    this.name = opts.name;
    this.saveDir = path.resolve(opts.save_dir);
    this.opts = {
      flush_secs: opts.flush_secs ?? 10,
      max_queue_mb: opts.max_queue_mb ?? 8,
      scalar_form: opts.scalar_form ?? 'simple_value',
      add_hparams: opts.add_hparams ?? true,
      filename_suffix: opts.filename_suffix ?? '',
    };
  }

  /**
   * The event file writer, created on first use as MMEngine's backends do (no empty files), and
   * again after `close()` when something is still logged (a test run after training): a new file.
   */
  get writer(): SummaryWriter {
    this.summaryWriter ??= new SummaryWriter(this.saveDir, {
      flushSecs: this.opts.flush_secs,
      maxQueueBytes: Math.round(this.opts.max_queue_mb * 1024 * 1024),
      scalarForm: this.opts.scalar_form,
      filenameSuffix: this.opts.filename_suffix,
    });
    return this.summaryWriter;
  }

  /** The config as text (tag `config`), shown verbatim: indented as a Markdown code block. */
  addConfig(config: Record<string, unknown>, text: string): void {
    this.config = config;
    const block = text
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n');
    this.writer.addText('config', block, 0);
  }

  addImage(name: string, image: RawImage, step: number): void {
    if (this.accept(name, step)) this.writer.addImage(name, image, step);
  }

  addScalar(name: string, value: number, step: number): void {
    if (this.isNumber(name, value) && this.accept(name, step)) this.writer.addScalar(name, value, step);
  }

  /** Each entry as a scalar at `step` (one event); `filePath` is for JSON backends and ignored. */
  addScalars(scalars: Record<string, number>, step: number, _filePath?: string): void {
    if ('step' in scalars) {
      throw new TrainkitError('TensorboardVisBackend.addScalars: the scalars hold a "step" key; pass the step as the step argument instead');
    }
    const kept: Record<string, number> = {};
    for (const [k, v] of Object.entries(scalars)) if (this.isNumber(k, v) && this.accept(k, step)) kept[k] = v;
    this.writer.addScalars(kept, step);
  }

  /** A HistogramProto with TensorFlow's exponential buckets, as PyTorch's add_histogram writes it. */
  addHistogram(name: string, values: ArrayLike<number>, step: number): void {
    if (this.accept(name, step)) this.writer.addHistogram(name, values, step, { buckets: 'exponential' });
  }

  addText(name: string, text: string, step: number): void {
    if (this.accept(name, step)) this.writer.addText(name, text, step);
  }

  private isNumber(name: string, value: unknown): value is number {
    if (typeof value === 'number') return true;
    this.warnOnce(name, `TensorboardVisBackend: "${name}" is a ${typeof value}, not a number; skipped`);
    return false;
  }

  /**
   * Whether `tag` may be written at `step`. TensorBoard keeps one series per tag and its default
   * (Rust) loader drops every point at or after a step that comes again, so one value logged
   * at an earlier step than the last wipes the rest of the curve. MMEngine's LogProcessor does
   * exactly that with `time` and `data_time` (train at iterations, validation at epochs, same
   * tag): such values are skipped with a warning rather than erasing the train curve.
   */
  private accept(tag: string, step: number): boolean {
    const last = this.lastSteps.get(tag);
    if (last !== undefined && step < last) {
      // expected with MMEngine's default tags (validation time/data_time), so said once, at INFO
      this.warnOnce(
        tag,
        `TensorboardVisBackend: "${tag}" logged at step ${step} after step ${last}; TensorBoard would drop the later points, so values that go back in steps are skipped (give them their own names, e.g. log_processor.log_with_hierarchy=True)`,
        'info',
      );
      return false;
    }
    this.lastSteps.set(tag, step);
    return true;
  }

  private warnOnce(key: string, message: string, level: 'info' | 'warn' = 'warn'): void {
    if (this.warnedTags.has(key)) return;
    this.warnedTags.add(key);
    getLogger()[level](message);
  }

  /**
   * The run's hyper-parameters (nested objects are flattened to dotted names) and final metrics
   * for the HParams tab. Called by the run's end at the latest: on close, the config stands in
   * for the hparams when nobody called this.
   */
  addHparams(hparams: Record<string, unknown>, metrics: Record<string, number>, status: 'SUCCESS' | 'FAILURE' = 'SUCCESS'): void {
    const numeric = Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number'));
    if (this.hparamsWritten) {
      // TensorBoard keeps the first session record of a run; later metrics still count
      const step = this.writer.maxStep;
      for (const [k, v] of Object.entries(numeric)) if (this.accept(k, step)) this.writer.addScalar(k, v, step);
      return;
    }
    this.hparamsWritten = true;
    this.writer.addHparams(flattenHparams(hparams), numeric, { status });
  }

  /**
   * A resumed run continues from `step`: what an interrupted run logged after it is superseded
   * (TensorBoard's SessionLog START purge), so curves neither zig-zag nor repeat steps. When the
   * event files live in the runner's default place (`<work_dir>/<run>/vis_data`), they move to
   * the folder of the run being continued, so TensorBoard shows one run with one clean curve.
   */
  resumeFrom(step: number, previous: ResumeInfo = {}): void {
    const continued = previous.logDir ? path.join(previous.logDir, 'vis_data') : undefined;
    const defaultPlace = path.basename(this.saveDir) === 'vis_data' && path.dirname(path.dirname(this.saveDir)) === path.dirname(previous.logDir ?? '');
    if (continued && defaultPlace && continued !== this.saveDir) {
      // so far this run's own file holds only the config text, which the continued run has too
      const own = this.summaryWriter;
      this.summaryWriter = undefined;
      this.saveDir = continued;
      if (own) void own.close().then(() => fs.rmSync(own.path, { force: true }));
      getLogger().info(`TensorboardVisBackend: continuing the event files of ${previous.logDir}`);
    }
    this.writer.purgeFrom(step + 1);
    for (const [tag, last] of this.lastSteps) if (last > step) this.lastSteps.delete(tag);
  }

  async flush(): Promise<void> {
    await this.summaryWriter?.flush();
  }

  /** Closes the event file; a run that failed or was stopped shows as FAILURE in the HParams tab. */
  async close(status?: RunStatus): Promise<void> {
    if (this.opts.add_hparams && !this.hparamsWritten && this.config) this.addHparams(this.config, {}, (status?.exitCode ?? 0) === 0 ? 'SUCCESS' : 'FAILURE');
    const w = this.summaryWriter;
    this.summaryWriter = undefined;
    await w?.close();
  }
}
