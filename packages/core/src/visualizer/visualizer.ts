import * as path from 'node:path';
import type { DataSample } from '../data/types.js';
import type { DatasetMeta } from '../data/dataset.js';
import { ConfigError, VisBackendStartError } from '../errors.js';
import { getLogger } from '../logging/logger.js';
import { VISBACKENDS } from '../registry/root.js';
import type { RawImage } from './image.js';
import type { ResumeInfo, RunStatus, VisBackend } from './vis-backend.js';

export interface VisualizerOptions {
  name?: string;
  /** Backend configs (`{type, ...}`) or instances. */
  vis_backends?: Array<Record<string, unknown> | VisBackend> | Record<string, unknown>;
  /** Run folder; backends default to `<save_dir>/vis_data`. */
  save_dir?: string;
}

export interface AddDatasampleOptions {
  draw_gt?: boolean;
  draw_pred?: boolean;
  step?: number;
  /** Write the drawing to this file instead of sending it to the backends. */
  out_file?: string;
}

/**
 * Fans everything a run records out to its backends. Task visualizers (e.g. a classification
 * visualizer) subclass it and implement `addDatasample` to draw predictions on images.
 */
export class Visualizer {
  readonly name: string;
  readonly saveDir: string | undefined;
  readonly backends = new Map<string, VisBackend>();
  datasetMeta: DatasetMeta | undefined;
  /** Backend calls that returned promises, awaited by `flush` / `close`. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Backends whose addLogLine failed once (they get no more lines). */
  private readonly lineless = new Set<string>();
  /**
   * Backends with a `start` method, until it resolved: calls made meanwhile wait for it, in
   * order. Backends without one (and those started) are called directly.
   */
  private readonly starting = new Map<string, Promise<void>>();
  /** Backends whose start failed: they get nothing more, and `start()` rethrows the first error. */
  private readonly failed = new Map<string, VisBackendStartError>();
  /** Backends whose start resolved. */
  private readonly ready = new Set<string>();
  /** Backends whose implicit (lazy) start failure was already reported. */
  private readonly warnedStart = new Set<string>();
  private started: Promise<void> | undefined;

  constructor(opts: VisualizerOptions = {}) {
    this.name = opts.name ?? 'visualizer';
    this.saveDir = opts.save_dir ? path.join(opts.save_dir, 'vis_data') : undefined;
    const list = opts.vis_backends === undefined ? [] : Array.isArray(opts.vis_backends) ? opts.vis_backends : [opts.vis_backends];
    list.forEach((cfg, i) => {
      const at = `visualizer.vis_backends.${i}`;
      const isConfig = typeof (cfg as { type?: unknown }).type !== 'undefined' && !('addScalars' in cfg);
      const backend = isConfig ? VISBACKENDS.build<VisBackend>(cfg, this.saveDir ? { save_dir: this.saveDir } : {}, at) : (cfg as VisBackend);
      const name = (isConfig ? ((cfg as { name?: string }).name ?? String((cfg as { type: unknown }).type)) : backend.name) ?? `backend${i}`;
      if (this.backends.has(name)) {
        throw new ConfigError(`vis_backend name ${name} already exists`, { path: at, fix: 'give each backend a distinct "name"' });
      }
      this.backends.set(name, backend);
    });
  }

  getBackend<T extends VisBackend = VisBackend>(name: string): T | undefined {
    return this.backends.get(name) as T | undefined;
  }

  /**
   * Starts every backend (in parallel) and resolves once all have; a backend that fails to start
   * fails this call with a VisBackendStartError naming it. The runner awaits it before `beforeRun`.
   * Calls made before it are held for the backend until it started; a Visualizer used without
   * `start()` starts a backend at its first call (and only warns when that start fails).
   */
  start(): Promise<void> {
    this.started ??= (async () => {
      await Promise.all([...this.backends].map(([name, b]) => this.startBackend(name, b).catch(() => {})));
      const [first] = this.failed.values();
      if (first) throw first;
    })();
    return this.started;
  }

  /** The backend's start, begun once (resolved at once for a backend without start, or started). */
  private startBackend(name: string, b: VisBackend): Promise<void> {
    let pending = this.starting.get(name);
    if (pending) return pending;
    if (this.failed.has(name)) return Promise.reject(this.failed.get(name));
    if (typeof b.start !== 'function' || this.ready.has(name)) return Promise.resolve();
    pending = (async () => {
      try {
        await b.start?.();
        this.ready.add(name);
      } catch (e) {
        const error = new VisBackendStartError(name, e);
        this.failed.set(name, error);
        throw error;
      } finally {
        this.starting.delete(name);
      }
    })();
    this.starting.set(name, pending);
    return pending;
  }

  /** Whether calls go straight to the backend (it has no start, or it started). */
  private isReady(name: string, b: VisBackend): boolean {
    return typeof b.start !== 'function' || this.ready.has(name);
  }

  /** Runs `call` once the backend started; a failed lazy start is reported once, as a warning. */
  private afterStart(name: string, b: VisBackend, call: () => unknown): Promise<unknown> | undefined {
    if (this.failed.has(name)) return undefined;
    return this.startBackend(name, b).then(call, (e) => {
      // an awaited start() reports the error itself; an implicit one has nobody to throw to
      if (this.started === undefined && !this.warnedStart.has(name)) {
        this.warnedStart.add(name);
        getLogger().warn(`${(e as Error).message}; it records nothing (await visualizer.start() to stop on this error)`);
      }
    });
  }

  private track(name: string, r: Promise<unknown>): void {
    const p = r.catch((e) => getLogger().warn(`vis backend ${name} failed: ${(e as Error).message}`)).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private each(call: (b: VisBackend) => unknown, startIdle = true): void {
    for (const [name, b] of this.backends) {
      if (!this.isReady(name, b)) {
        if (!startIdle && !this.starting.has(name)) continue;
        const held = this.afterStart(name, b, () => call(b));
        if (held) this.track(name, held);
        continue;
      }
      try {
        const r = call(b);
        if (r instanceof Promise) this.track(name, r);
      } catch (e) {
        getLogger().warn(`vis backend ${name} failed: ${(e as Error).message}`);
      }
    }
  }

  addConfig(config: Record<string, unknown>, text: string): void {
    this.each((b) => b.addConfig?.(config, text));
  }

  addImage(name: string, image: RawImage, step = 0): void {
    this.each((b) => b.addImage?.(name, image, step));
  }

  addScalar(name: string, value: number, step = 0): void {
    this.each((b) => b.addScalar?.(name, value, step));
  }

  addScalars(scalars: Record<string, number>, step = 0, filePath?: string): void {
    this.each((b) => b.addScalars?.(scalars, step, filePath));
  }

  addText(name: string, text: string, step = 0): void {
    this.each((b) => b.addText?.(name, text, step));
  }

  /** A histogram of `values` (backends without histograms skip it). */
  addHistogram(name: string, values: ArrayLike<number>, step = 0): void {
    this.each((b) => b.addHistogram?.(name, values, step));
  }

  addHparams(hparams: Record<string, unknown>, metrics: Record<string, number>): void {
    this.each((b) => b.addHparams?.(hparams, metrics));
  }

  addLogLine(line: string): void {
    for (const [name, b] of this.backends) {
      if (!b.addLogLine || this.lineless.has(name)) continue;
      if (!this.isReady(name, b)) {
        const held = this.afterStart(name, b, () => this.keepLine(name, b, line));
        if (held) this.track(name, held);
      } else this.keepLine(name, b, line);
    }
  }

  private keepLine(name: string, b: VisBackend, line: string): void {
    if (this.lineless.has(name)) return;
    try {
      b.addLogLine?.(line);
    } catch (e) {
      // the warning is a log line too: stop sending lines to this backend before logging it
      this.lineless.add(name);
      getLogger().warn(`vis backend ${name} failed to keep a log line; no further lines go to it: ${(e as Error).message}`);
    }
  }

  resumeFrom(step: number, previous: ResumeInfo = {}): void {
    this.each((b) => b.resumeFrom?.(step, previous));
  }

  /** Draws a sample's annotations and predictions; task visualizers override it. */
  addDatasample(_name: string, _image: RawImage, _sample?: DataSample, _opts: AddDatasampleOptions = {}): void {}

  /** Waits for what backends are writing; a backend that never started has nothing to flush. */
  async flush(): Promise<void> {
    this.each((b) => b.flush?.(), false);
    await Promise.all([...this.inFlight]);
  }

  /** Closes every backend that started (or has no start), after its pending calls. */
  async close(status?: RunStatus): Promise<void> {
    await Promise.all([...this.starting.values()].map((p) => p.catch(() => {})));
    await Promise.all([...this.inFlight]);
    const closing: Promise<unknown>[] = [];
    for (const [name, b] of this.backends) {
      if (!this.isReady(name, b)) continue;
      try {
        const r = b.close?.(status);
        if (r instanceof Promise) closing.push(r.catch((e) => getLogger().warn(`vis backend ${name} failed to close: ${(e as Error).message}`)));
      } catch (e) {
        getLogger().warn(`vis backend ${name} failed to close: ${(e as Error).message}`);
      }
    }
    await Promise.all(closing);
  }
}
