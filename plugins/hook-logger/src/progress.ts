import * as readline from 'node:readline';
import type { Writable } from 'node:stream';
import { formatFixed, formatTimedelta } from '@trainkit/core/plugin';
import cliProgress from 'cli-progress';

/** A stream the bar can draw on: a terminal, or a stand-in for one in tests. */
export type ProgressStream = Writable & { isTTY?: boolean; columns?: number };

/** Where a loop stands, as the LoggerHook reports it after each iteration. */
export interface ProgressState {
  /** `train`, `val` or `test`; a change restarts the bar. */
  phase: string;
  /** Shown before the bar: `Epoch(train) [3/12]`, `Iter(train)`, `Epoch(val) [3]`, `Test`. */
  label: string;
  value: number;
  total: number;
  /** Seconds left, from the IterTimerHook; the display's own estimate otherwise. */
  eta?: number;
  /** Latest smoothed loss (train), or how to read it: only called when a frame is drawn. */
  loss?: number | (() => number | undefined);
}

const FORMAT = '{label} [{bar}] {value}/{total} | {rate} | ETA {eta_text}{extra}';

/** Whether a live bar belongs on this stream: a terminal that can move its cursor. */
export function isInteractive(stream: ProgressStream): boolean {
  return stream.isTTY === true && process.env.TERM !== 'dumb';
}

/**
 * One live progress line at the bottom of the terminal, drawn by cli-progress. Log lines go
 * through `writeAbove`, which clears the bar, lets the line be written and redraws the bar under
 * it, so the two never overwrite each other. The bar is redrawn from `update` at most `fps`
 * times a second, so an iteration costs one clock read when no frame is due.
 */
export class ProgressDisplay {
  private multibar: cliProgress.MultiBar | undefined;
  private bar: cliProgress.SingleBar | undefined;
  private phase: string | undefined;
  private readonly frameMs: number;
  private lastFrame = 0;
  private lastValue = 0;
  private rate = 0;
  private latest: ProgressState | undefined;
  private readonly onExit = () => this.stop();

  constructor(
    readonly stream: ProgressStream,
    fps = 5,
  ) {
    this.frameMs = 1000 / fps;
  }

  get active(): boolean {
    return this.bar !== undefined;
  }

  update(state: ProgressState): void {
    this.latest = state;
    const now = performance.now();
    if (state.phase !== this.phase) {
      this.restart(state, now);
      return;
    }
    if (now - this.lastFrame < this.frameMs && state.value < state.total) return;
    const done = state.value - this.lastValue;
    const perSecond = done > 0 ? (done * 1000) / Math.max(now - this.lastFrame, 1e-3) : this.rate;
    // smooth the rate so the figure is readable, but follow real changes within a few frames
    this.rate = this.rate ? 0.7 * this.rate + 0.3 * perSecond : perSecond;
    this.lastFrame = now;
    this.lastValue = state.value;
    this.draw(state);
  }

  /** Runs `write` (which prints one log line) with the bar moved out of its way. */
  writeAbove(write: () => void): void {
    if (!this.multibar) {
      write();
      return;
    }
    readline.cursorTo(this.stream, 0);
    readline.clearLine(this.stream, 0);
    write();
    this.multibar.update();
  }

  /** Removes the bar from the terminal and releases its timer. */
  stop(): void {
    if (!this.multibar) return;
    const multibar = this.multibar;
    this.multibar = undefined;
    this.bar = undefined;
    this.phase = undefined;
    process.off('exit', this.onExit);
    multibar.stop();
  }

  private restart(state: ProgressState, now: number): void {
    this.phase = state.phase;
    this.rate = 0;
    this.lastFrame = now;
    this.lastValue = state.value;
    if (!this.multibar) {
      this.multibar = new cliProgress.MultiBar({
        stream: this.stream,
        format: FORMAT,
        fps: 1000 / this.frameMs,
        barsize: 24,
        // keep the terminal's own wrapping (log lines can be long) and let the bar be cut to width
        linewrap: true,
        hideCursor: false,
        clearOnComplete: true,
        // log lines printed between frames erase the bar; draw it again on every frame
        forceRedraw: true,
        gracefulExit: false,
      });
      // a second Ctrl-C exits at once: leave a clean line behind
      process.once('exit', this.onExit);
      this.bar = this.multibar.create(state.total, state.value, this.payload(state));
    } else {
      this.bar!.start(state.total, state.value, this.payload(state));
    }
    this.multibar.update();
  }

  private draw(state: ProgressState): void {
    this.bar!.setTotal(state.total);
    this.bar!.update(state.value, this.payload(state));
    this.multibar!.update();
  }

  private payload(state: ProgressState): Record<string, string> {
    const left = state.total - state.value;
    const eta = state.eta ?? (this.rate > 0 ? left / this.rate : undefined);
    const loss = typeof state.loss === 'function' ? state.loss() : state.loss;
    return {
      label: state.label,
      rate: this.rate > 0 ? `${this.rate >= 10 ? this.rate.toFixed(0) : this.rate.toFixed(2)} it/s` : '- it/s',
      eta_text: eta === undefined ? '-' : formatTimedelta(eta),
      extra: loss === undefined || Number.isNaN(loss) ? '' : ` | loss ${formatFixed(loss, 4)}`,
    };
  }

  /** The latest state the bar was given (for tests and redraws). */
  get state(): ProgressState | undefined {
    return this.latest;
  }
}
