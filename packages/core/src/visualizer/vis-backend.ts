import type { Awaitable } from '../types.js';
import type { RawImage } from './image.js';

/**
 * A destination for what a run records. Every method is optional; the Visualizer calls the ones
 * a backend has. Methods must not block a training step: buffer and write in the background.
 *
 * Lifecycle: `start` (awaited by the Visualizer before it sends the backend anything, so a
 * backend may open connections or files there and fail the run before training), the `add*`
 * calls, then `close` (awaited, once, for a backend that started). Sync methods are fine too.
 */
export interface VisBackend {
  /** Name used by `visualizer.getBackend(name)` (the config's `name`, else the type). */
  name?: string;
  /** Opens what the backend writes to; an error here stops the run with the backend's name. */
  start?(): Awaitable<void>;
  /** The resolved config, as a plain object and as the text dumped to disk. */
  addConfig?(config: Record<string, unknown>, text: string): Awaitable<void>;
  addImage?(name: string, image: RawImage, step: number): Awaitable<void>;
  addScalar?(name: string, value: number, step: number): Awaitable<void>;
  /** `filePath` names an extra JSON-lines file (the LoggerHook's `<timestamp>.json`). */
  addScalars?(scalars: Record<string, number>, step: number, filePath?: string): Awaitable<void>;
  addText?(name: string, text: string, step: number): Awaitable<void>;
  /** The distribution of `values` (weights, gradients); each backend bins them its own way. */
  addHistogram?(name: string, values: ArrayLike<number>, step: number): Awaitable<void>;
  /** Hyper-parameters of the run and its final metrics (TensorBoard's HParams, W&B summary). */
  addHparams?(hparams: Record<string, unknown>, metrics: Record<string, number>): Awaitable<void>;
  /**
   * A resumed run continues from `step`: values the interrupted run logged after it are
   * superseded so curves do not zig-zag. `previous.logDir` is the run folder of the run that
   * wrote the checkpoint (first of its chain of resumes), where a backend may continue.
   */
  resumeFrom?(step: number, previous: ResumeInfo): Awaitable<void>;
  /** Terminal output of the run (log lines), for backends that keep it. */
  addLogLine?(line: string): void;
  flush?(): Awaitable<void>;
  /** Ends the run; `status` says how it ended (W&B records the exit code, TensorBoard's HParams the status). */
  close?(status?: RunStatus): Awaitable<void>;
}

/** How a run ended. */
export interface RunStatus {
  /** 0 done, 1 failed, 130 / 143 stopped by SIGINT / SIGTERM. */
  exitCode: number;
  /** The error of a failed run. */
  error?: string;
}

/** Where a resumed run came from. */
export interface ResumeInfo {
  /** The run folder (`<work_dir>/<timestamp>`) the resumed chain started in, if known. */
  logDir?: string;
}

export interface VisBackendOptions {
  save_dir?: string;
  name?: string;
}
