import { ConfigError, TrainkitError } from '../errors.js';
import type { Logger } from '../logging/logger.js';

/** A training loss became NaN or infinite: the run stops rather than go on with broken weights. */
export class NonFiniteLossError extends TrainkitError {
  override name = 'NonFiniteLossError';
}

export interface LossGuardOptions {
  /** `'error'` stops the run; `'skip'` warns and goes on (the optimizer wrapper skips the step). */
  nonfinite: 'error' | 'skip';
  /** Warn when a loss exceeds this multiple of its running median (null: never). */
  divergenceFactor: number | null;
}

/** How many recent values the running median looks at, and how many it needs first. */
const WINDOW = 50;
const WARMUP = 10;
/** A divergence warning per loss term at most every this many values. */
const WARN_EVERY = 100;

/**
 * Watches the training losses as the message hub reads them (so the check costs no device sync
 * of its own): a non-finite value stops the run with the iteration, the term and what to try;
 * a value far above its running median is warned about.
 */
export class LossGuard {
  private readonly recent = new Map<string, number[]>();
  private readonly lastWarned = new Map<string, number>();
  private seen = 0;

  constructor(
    private readonly opts: LossGuardOptions,
    private readonly logger: Logger,
  ) {}

  /** The guard's options from `env_cfg` (`nonfinite_loss`, `loss_divergence_factor`). */
  static options(env: Record<string, unknown>, stepsSkipped: boolean): LossGuardOptions {
    const nonfinite = env.nonfinite_loss ?? (stepsSkipped ? 'skip' : 'error');
    if (nonfinite !== 'error' && nonfinite !== 'skip') {
      throw new ConfigError("must be 'error' or 'skip'", { path: 'env_cfg.nonfinite_loss', found: nonfinite, fix: "use 'error' (the default) or 'skip'" });
    }
    if (nonfinite === 'skip' && !stepsSkipped) {
      throw new ConfigError("'skip' needs an optimizer wrapper that skips non-finite steps", {
        path: 'env_cfg.nonfinite_loss',
        found: nonfinite,
        fix: "use optim_wrapper: {type: 'AmpOptimWrapper', loss_scale: 'dynamic', ...}, whose loss scaler skips those steps, or remove nonfinite_loss",
      });
    }
    const factor = env.loss_divergence_factor === undefined ? 10 : env.loss_divergence_factor;
    if (factor !== null && (typeof factor !== 'number' || !(factor > 1))) {
      throw new ConfigError('must be a number above 1, or null to turn the check off', {
        path: 'env_cfg.loss_divergence_factor',
        found: factor,
        fix: 'use e.g. 10 (the default)',
      });
    }
    return { nonfinite, divergenceFactor: factor as number | null };
  }

  /** Checks one value the hub has just read; keys other than training losses pass untouched. */
  check(key: string, value: number, iter: unknown): void {
    if (!key.startsWith('train/') || !key.includes('loss')) return;
    const term = key.slice('train/'.length);
    const at = typeof iter === 'number' ? `iteration ${iter + 1}` : 'an iteration';
    if (!Number.isFinite(value)) {
      if (this.opts.nonfinite === 'skip') {
        this.logger.warn(`${at}: the loss term "${term}" is ${value}; the optimizer wrapper skipped that step (env_cfg.nonfinite_loss: 'skip')`);
        return;
      }
      throw new NonFiniteLossError(
        `${at}: the loss term "${term}" is ${value}, so training stopped (the weights are no longer usable)\n` +
          '  fix: lower the learning rate (optim_wrapper.optimizer.lr), clip gradients (optim_wrapper.clip_grad: {max_norm: 1}), ' +
          "check the data for NaN or infinite values, or use optim_wrapper: {type: 'AmpOptimWrapper'} with env_cfg.nonfinite_loss: 'skip' to skip such steps",
      );
    }
    const factor = this.opts.divergenceFactor;
    if (factor === null) return;
    let window = this.recent.get(term);
    if (!window) {
      window = [];
      this.recent.set(term, window);
    }
    this.seen++;
    if (window.length >= WARMUP) {
      const median = medianOf(window);
      const last = this.lastWarned.get(term);
      if (median > 0 && value > factor * median && (last === undefined || this.seen - last >= WARN_EVERY)) {
        this.lastWarned.set(term, this.seen);
        this.logger.warn(
          `${at}: the loss term "${term}" is ${value.toPrecision(4)}, more than ${factor}x its running median ${median.toPrecision(4)}: training may be diverging; ` +
            'try a lower learning rate or gradient clipping (env_cfg.loss_divergence_factor sets this threshold; null turns the check off)',
        );
      }
    }
    window.push(value);
    if (window.length > WINDOW) window.shift();
  }
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
