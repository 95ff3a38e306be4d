import type { Runner } from '../runner/runner.js';
import { Hook, type Mode } from './hook.js';

/**
 * Records `<mode>/data_time` (waiting for the batch) and `<mode>/time` (the whole iteration) in
 * seconds, and the `eta` of the running loop.
 */
export class IterTimerHook extends Hook {
  private t = 0;
  private startIter = 0;
  private timeSecTotal = 0;
  private evalTimeSum = 0;

  override beforeTrain(runner: Runner): void {
    this.startIter = runner.iter;
    this.timeSecTotal = 0;
  }

  override beforeEpoch(_runner: Runner, _mode: Mode): void {
    this.t = performance.now();
  }

  override afterEpoch(_runner: Runner, mode: Mode): void {
    if (mode !== 'train') this.evalTimeSum = 0;
  }

  override beforeIter(runner: Runner, _batchIdx: number, _data: unknown, mode: Mode): void {
    runner.messageHub.updateScalar(MODE_KEYS[mode].dataTime, (performance.now() - this.t) / 1000);
  }

  override afterIter(runner: Runner, batchIdx: number, _data: unknown, _outputs: unknown, mode: Mode): void {
    const now = performance.now();
    const seconds = (now - this.t) / 1000;
    this.t = now;
    const hub = runner.messageHub;
    hub.updateScalar(MODE_KEYS[mode].time, seconds);
    if (mode === 'train') {
      this.timeSecTotal += seconds;
      const done = runner.iter - this.startIter + 1;
      hub.updateInfo('eta', (this.timeSecTotal / done) * (runner.maxIters - runner.iter - 1));
    } else {
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
