import * as tf from '@tensorflow/tfjs';
import { ConfigError, type StateDict, getLogger } from '@trainkit/core';
import { backendCapabilities } from '@trainkit/core/backend';
import type { GradientMap, Optimizer } from '../optimizers/optimizer.js';
import { ownOptions } from '../util/options.js';
import { LossScaler } from './loss-scaler.js';
import { OptimWrapper } from './optim-wrapper.js';
import { type AmpOptimWrapperOptions, ampOptimWrapperOptions } from './options.js';

export interface AmpOptimWrapperArgs extends AmpOptimWrapperOptions {
  optimizer: Optimizer;
}

/**
 * MMEngine's AmpOptimWrapper: the loss is scaled before gradients are taken, the gradients are
 * unscaled before clipping and stepping, and a step with non-finite gradients is skipped while
 * a dynamic scale backs off.
 *
 * TensorFlow.js has no float16 kernels on any backend, so compute stays float32: a `dtype` other
 * than float32 is refused (see the options). Loss scaling still works and still protects against
 * overflowing gradients; the log says so once.
 */
export class AmpOptimWrapper extends OptimWrapper {
  readonly lossScaler: LossScaler;
  readonly dtype: string | undefined;
  /** How many steps were skipped for non-finite gradients (for tests and diagnostics). */
  skippedSteps = 0;

  constructor(args: AmpOptimWrapperArgs) {
    const { loss_scale, dtype, use_fsdp: _fsdp, ...base } = ownOptions(ampOptimWrapperOptions, args, ['optimizer'], 'AmpOptimWrapper');
    super({ ...base, optimizer: args.optimizer }, 'AmpOptimWrapper');
    this.dtype = dtype ?? undefined;
    if (loss_scale === 'dynamic') this.lossScaler = new LossScaler(2 ** 16);
    else if (typeof loss_scale === 'number') this.lossScaler = new LossScaler(loss_scale, 2, 0.5, 2000, true, true);
    else
      this.lossScaler = new LossScaler(
        loss_scale.init_scale ?? 2 ** 16,
        loss_scale.growth_factor,
        loss_scale.backoff_factor,
        loss_scale.growth_interval,
        loss_scale.enabled,
      );
    const caps = backendCapabilities();
    if (this.lossScaler.enabled && !caps.nonFiniteChecks) {
      throw new ConfigError(
        `AmpOptimWrapper checks the gradients for overflow within every step, which the ${caps.name} backend does not declare it can do (its nonFiniteChecks capability)`,
        {
          path: 'optim_wrapper.type',
          found: 'AmpOptimWrapper',
          fix: `use OptimWrapper: TensorFlow.js computes in float32 on "${caps.name}" anyway, so loss scaling gains nothing there`,
        },
      );
    }
    const scaling = typeof loss_scale === 'number' ? `static loss scale ${loss_scale}` : `dynamic loss scaling from ${this.lossScaler.scale}`;
    getLogger().warn(
      `AmpOptimWrapper: TensorFlow.js has no float16 compute on the "${tf.getBackend()}" backend, so compute stays float32; ${scaling} is applied and steps with non-finite gradients are skipped`,
    );
  }

  protected override lossForBackward(loss: tf.Scalar): tf.Scalar {
    const s = this.lossScaler.lossScale;
    return s === 1 ? loss : tf.mul(loss, s);
  }

  /**
   * Unscales, checks for non-finite values (one read of a scalar per step, as GradScaler's own
   * check costs a sync), clips, and steps unless something overflowed.
   */
  /** The loss scaler skips steps whose gradients overflowed (the runner's loss guard then only warns). */
  get skipsNonFiniteSteps(): boolean {
    return this.lossScaler.enabled;
  }

  override step(): tf.Scalar | undefined {
    if (this.pending.size === 0) return undefined;
    return tf.tidy(() => {
      const inv = Math.fround(1 / this.lossScaler.lossScale);
      const unscaled: GradientMap = new Map();
      for (const [p, g] of this.pending) unscaled.set(p, inv === 1 ? g : tf.mul(g, inv));
      this.onGradients?.(unscaled);
      // isFinite rather than arithmetic tricks: GPU shading languages do not promise IEEE inf/NaN rules
      const finite = [...unscaled.values()].map((g) => tf.all(tf.isFinite(g)));
      const foundInf = this.lossScaler.enabled && !(finite.length === 1 ? finite[0] : tf.all(tf.stack(finite))).dataSync()[0];
      const { grads, norm } = this.clip(unscaled);
      if (foundInf) this.skippedSteps++;
      else this.optimizer.step(grads);
      this.lossScaler.update(foundInf);
      return norm;
    });
  }

  override stateDict(): StateDict {
    return { ...super.stateDict(), loss_scaler: this.lossScaler.stateDict() };
  }

  override loadStateDict(state: StateDict): void {
    const { loss_scaler, ...rest } = state;
    if (loss_scaler && typeof loss_scaler === 'object') this.lossScaler.loadStateDict(loss_scaler as Record<string, unknown>);
    super.loadStateDict(rest);
  }
}
