import type * as tf from '@tensorflow/tfjs';
import type { StateDict } from '../types.js';

/**
 * What the runtime needs of an optimizer wrapper and of parameter schedulers. Implementations
 * live in @trainkit/optim (or any plugin); core only talks to these shapes.
 */

/** The loss to minimise and the named values to log, as a train step computes them. */
export interface LossOutput {
  loss: tf.Scalar;
  logVars: Record<string, tf.Scalar>;
}

/** A param group as PyTorch has it: the variables plus their hyper-parameters. */
export interface ParamGroup {
  params: tf.Variable[];
  lr: number;
  [hyperParameter: string]: unknown;
}

export interface OptimWrapperLike {
  /**
   * Computes gradients of `lossFn`'s loss, clips / accumulates / steps as configured, all without
   * leaking a tensor, and returns the log vars (kept; the caller disposes them). On an update step
   * of a distributed run it awaits `getGradientReducer()` before clipping, hence the promise.
   */
  updateParams(lossFn: () => LossOutput): Record<string, tf.Scalar> | Promise<Record<string, tf.Scalar>>;
  /** `{lr: [per group], base_lr?: [...]}` as MMEngine reports it. */
  getLr(): Record<string, number[]>;
  getMomentum(): Record<string, number[]>;
  /** The groups schedulers and `auto_scale_lr` edit (with MMEngine's extra base group when >1). */
  readonly paramGroups: ParamGroup[];
  initializeCountStatus(model: unknown, initCounts: number, maxCounts: number): void;
  stateDict(): StateDict;
  loadStateDict(state: StateDict): void;
  /** Frees optimizer state tensors. */
  dispose?(): void;
  /**
   * When set, called with the gradients just before the optimizer steps (accumulated, unscaled,
   * not yet clipped); a hook that records gradient histograms sets it for the iterations it logs.
   */
  onGradients?: ((grads: ReadonlyMap<tf.Variable, tf.Tensor>) => void) | undefined;
  /** True when steps with non-finite gradients are skipped (AMP's dynamic loss scaler). */
  readonly skipsNonFiniteSteps?: boolean;
}

export interface ParamSchedulerLike {
  readonly byEpoch: boolean;
  /** ReduceOnPlateau-style schedulers step with validation metrics. */
  readonly needValArgs?: boolean;
  step(metrics?: Record<string, unknown>): void;
  stateDict(): Record<string, unknown>;
  loadStateDict(state: Record<string, unknown>): void;
}

/** Builds an optimizer wrapper for a model from the `optim_wrapper` config. */
export interface OptimWrapperConstructorLike {
  build(model: unknown): OptimWrapperLike;
}
