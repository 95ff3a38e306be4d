import type { Runner } from '../runner/runner.js';
import { Hook, type Mode } from './hook.js';

/**
 * Records `<mode>/data_time` (waiting for the batch) and `<mode>/time` (the whole iteration) in
 * seconds, and the `eta` of the running loop.
 *
 * On backends that read the device only at logging intervals (WebGPU), an iteration returns as
 * soon as its work is queued, so its CPU time says nothing. There, train iterations get their
 * time when the message hub next reads the device: the wall time since the previous read,
 * shared evenly by the iterations in between.
 */
export class IterTimerHook extends Hook {
  private t = 0;
  private timeSecTotal = 0;
  private timedIters = 0;
  private evalTimeSum = 0;
  /** Deferred timing: train iterations waiting for the next device read, and when the last one ended. */
  private untimed = 0;
  private syncedAt = 0;
  private listening = false;

  override beforeTrain(runner: Runner): void {
    this.timeSecTotal = 0;
    this.timedIters = 0;
    this.untimed = 0;
    this.syncedAt = performance.now();
    if (runner.messageHub.deferReads && !this.listening) {
      this.listening = true;
      runner.messageHub.onSettled(() => this.timeUntimed(runner));
    }
  }

  private timeUntimed(runner: Runner): void {
    const now = performance.now();
    if (this.untimed > 0) {
      const seconds = (now - this.syncedAt) / 1000 / this.untimed;
      for (let i = 0; i < this.untimed; i++) runner.messageHub.updateScalar(MODE_KEYS.train.time, seconds);
      this.timeSecTotal += seconds * this.untimed;
      this.timedIters += this.untimed;
      this.untimed = 0;
      runner.messageHub.updateInfo('eta', (this.timeSecTotal / this.timedIters) * Math.max(0, runner.maxIters - runner.iter - 1));
    }
    this.syncedAt = now;
  }

  override beforeEpoch(_runner: Runner, _mode: Mode): void {
    this.t = performance.now();
  }

  override afterEpoch(_runner: Runner, mode: Mode): void {
    if (mode === 'train') return;
    this.evalTimeSum = 0;
    // evaluation reads every batch, so the device is idle now: its time is not training time
    this.syncedAt = performance.now();
  }

  override beforeIter(runner: Runner, _batchIdx: number, _data: unknown, mode: Mode): void {
    runner.messageHub.updateScalar(MODE_KEYS[mode].dataTime, (performance.now() - this.t) / 1000);
  }

  override afterIter(runner: Runner, batchIdx: number, _data: unknown, _outputs: unknown, mode: Mode): void {
    const now = performance.now();
    const seconds = (now - this.t) / 1000;
    this.t = now;
    const hub = runner.messageHub;
    if (mode === 'train') {
      if (hub.deferReads) this.untimed++;
      else {
        hub.updateScalar(MODE_KEYS.train.time, seconds);
        this.timeSecTotal += seconds;
        this.timedIters++;
      }
      // before the first device read, the queueing time is the only estimate there is
      const perIter = this.timedIters ? this.timeSecTotal / this.timedIters : seconds;
      hub.updateInfo('eta', perIter * (runner.maxIters - runner.iter - 1));
    } else {
      hub.updateScalar(MODE_KEYS[mode].time, seconds);
      this.evalTimeSum += seconds;
      const remaining = runner.dataloaderLength(mode) - batchIdx - 1;
      hub.updateInfo('eta', (this.evalTimeSum / (batchIdx + 1)) * remaining);
    }
  }
}

const MODE_KEYS = {
  train: { time: 'train/time', dataTime: 'train/data_time' },
  val: { time: 'val/time', dataTime: 'val/data_time' },
  test: { time: 'test/time', dataTime: 'test/data_time' },
} as const;
