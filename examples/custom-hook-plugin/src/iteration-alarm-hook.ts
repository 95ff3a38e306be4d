import { Hook, type LogVars, type PriorityLike, type Runner, parseOptions } from '@trainkit/core';
import { type IterationAlarmHookOptions, iterationAlarmHookOptions } from './options.js';

export interface Alarm {
  /** 1-based train iteration. */
  iter: number;
  value: number;
  reason: string;
}

/**
 * Watches the train loss: every `interval` iterations it reads the loss the train step returned
 * and raises an alarm when it is not finite or above `max_loss`: a warning in the log, an entry
 * in the message hub (`iteration_alarm`, saved with checkpoints), and with `on_alarm: 'stop'` a
 * request to stop after the current iteration.
 *
 * It runs ABOVE_NORMAL, before LoggerHook (BELOW_NORMAL), so an alarm appears in the log before
 * the line of the iteration that raised it.
 */
export class IterationAlarmHook extends Hook {
  override priority: PriorityLike = 'ABOVE_NORMAL';
  readonly interval: number;
  readonly lossKey: string;
  readonly maxLoss: number | null;
  readonly onAlarm: 'warn' | 'stop';
  readonly alarms: Alarm[] = [];
  private warnedMissing = false;

  constructor(opts: IterationAlarmHookOptions = {}) {
    super();
    // the registry validated a config already; this covers `new IterationAlarmHook({...})`
    const o = parseOptions(iterationAlarmHookOptions, opts, '', 'IterationAlarmHook');
    this.interval = o.interval;
    this.lossKey = o.loss_key;
    this.maxLoss = o.max_loss;
    this.onAlarm = o.on_alarm;
  }

  override afterTrainIter(runner: Runner, _batchIdx: number, _dataBatch?: unknown, outputs?: LogVars): void | Promise<void> {
    if (!this.everyNTrainIters(runner, this.interval)) return;
    const raw = outputs?.[this.lossKey];
    if (raw === undefined) {
      if (!this.warnedMissing)
        runner.logger.warn(`IterationAlarmHook: the train step returns no "${this.lossKey}" (it returns ${Object.keys(outputs ?? {}).join(', ')})`);
      this.warnedMissing = true;
      return;
    }
    // reading a tensor waits for the device, so it happens only every `interval` iterations, and
    // asynchronously: GPU backends have no synchronous read
    if (typeof raw === 'number') return this.check(runner, raw);
    return raw.data().then((data) => this.check(runner, data[0]));
  }

  private check(runner: Runner, value: number): void {
    const reason = !Number.isFinite(value) ? 'is not finite' : this.maxLoss !== null && value > this.maxLoss ? `is above max_loss ${this.maxLoss}` : undefined;
    if (!reason) return;
    const alarm = { iter: runner.iter + 1, value, reason };
    this.alarms.push(alarm);
    runner.messageHub.updateInfo('iteration_alarm', alarm);
    runner.logger.warn(`IterationAlarmHook: iteration ${alarm.iter}: ${this.lossKey} = ${value} ${reason}${this.onAlarm === 'stop' ? '; stopping' : ''}`);
    if (this.onAlarm === 'stop') runner.requestStop();
  }
}
