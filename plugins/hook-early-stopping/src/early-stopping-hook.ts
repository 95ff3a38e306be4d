import type { Checkpoint } from '@trainkit/core/checkpoint';
import { ConfigError, Hook, type Metrics, type PriorityLike, type Runner, TrainkitError, parseOptions } from '@trainkit/core';
import { type EarlyStoppingHookOptions, earlyStoppingHookOptions } from './options.js';
import { type Rule, inferRule } from './rule.js';

/** What a checkpoint keeps of the hook, so a resumed run counts on where it stopped. */
interface SavedState {
  monitor: string;
  best_score: number;
  wait_count: number;
}

/**
 * Ends training when the monitored validation metric stops improving (MMEngine's
 * EarlyStoppingHook). After each validation, in this order: a non-finite value stops (with
 * `check_finite`); a value better than `stopping_threshold` stops; a value that does not beat
 * the best by `min_delta` counts against `patience` and stops when the count reaches it; any
 * other value is the new best and resets the count. Stopping sets the train loop's
 * `stopTraining`, so the loop ends before the next epoch (or iteration) starts.
 */
export class EarlyStoppingHook extends Hook {
  override priority: PriorityLike = 'LOWEST';
  readonly monitor: string;
  readonly rule: Rule;
  /** Signed: negative for `less`, so `best + minDelta` is always "the value to beat". */
  readonly minDelta: number;
  readonly strict: boolean;
  readonly checkFinite: boolean;
  readonly patience: number;
  readonly stoppingThreshold: number | null;
  bestScore: number;
  waitCount = 0;

  constructor(opts: EarlyStoppingHookOptions) {
    super();
    const o = parseOptions(earlyStoppingHookOptions, opts, '', 'EarlyStoppingHook');
    this.monitor = o.monitor;
    this.rule = o.rule ?? inferRule(o.monitor);
    this.minDelta = this.rule === 'greater' ? o.min_delta : -o.min_delta;
    this.strict = o.strict;
    this.checkFinite = o.check_finite;
    this.patience = o.patience;
    this.stoppingThreshold = o.stopping_threshold;
    this.bestScore = this.rule === 'greater' ? -Infinity : Infinity;
  }

  override beforeRun(runner: Runner): void {
    const loop = runner.trainLoop;
    if (loop && !('stopTraining' in loop)) {
      throw new ConfigError('EarlyStoppingHook needs a train loop with a stopTraining flag', {
        path: 'train_cfg.type',
        found: (loop as object).constructor.name,
        fix: 'use EpochBasedTrainLoop / IterBasedTrainLoop, or add `stopTraining = false` to the loop and end it when set',
      });
    }
  }

  override afterValEpoch(runner: Runner, metrics: Metrics = {}): void {
    const loop = runner.trainLoop;
    if (!loop) return; // a standalone validation has no training to stop
    if (!(this.monitor in metrics)) {
      const message = `EarlyStoppingHook: validation did not report "${this.monitor}" (it reported ${Object.keys(metrics).join(', ') || 'nothing'})`;
      if (this.strict) throw new TrainkitError(`${message}; fix the monitor name or set strict: false to skip such validations`);
      runner.logger.warn(`${message}; skipping the early-stopping check`);
      return;
    }
    const reason = this.check(Number(metrics[this.monitor]));
    if (reason) {
      loop.stopTraining = true;
      runner.logger.info(reason);
    }
  }

  /** Records `score`; returns why training should stop, or undefined to go on. */
  check(score: number): string | undefined {
    const better = (a: number, b: number) => (this.rule === 'greater' ? a > b : a < b);
    if (this.checkFinite && !Number.isFinite(score)) {
      return `Monitored metric ${this.monitor} = ${score} is not finite; the best value was ${this.bestScore.toFixed(3)}.`;
    }
    if (this.stoppingThreshold !== null && better(score, this.stoppingThreshold)) {
      this.bestScore = score;
      return `Stopping threshold reached: ${this.monitor} = ${score} is ${this.rule} than ${this.stoppingThreshold}.`;
    }
    if (better(this.bestScore + this.minDelta, score)) {
      this.waitCount++;
      // the exact words of MMEngine's line, which log parsers look for
      if (this.waitCount >= this.patience)
        return `the monitored metric did not improve in the last ${this.waitCount} records. best score: ${this.bestScore.toFixed(3)}. `;
      return undefined;
    }
    this.bestScore = score;
    this.waitCount = 0;
    return undefined;
  }

  override beforeSaveCheckpoint(_runner: Runner, checkpoint: Checkpoint): void {
    const state: SavedState = { monitor: this.monitor, best_score: this.bestScore, wait_count: this.waitCount };
    checkpoint.early_stopping = state;
  }

  override afterLoadCheckpoint(runner: Runner, checkpoint: Checkpoint): void {
    const saved = checkpoint.early_stopping as SavedState | undefined;
    if (!runner.cfg.data.resume || !saved || saved.monitor !== this.monitor) return;
    this.bestScore = saved.best_score;
    this.waitCount = saved.wait_count;
  }
}
