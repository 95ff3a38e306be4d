import * as tf from '@tensorflow/tfjs';
import { type GradientReducer, getGradientReducer } from '@trainkit/core/dist';
import { type LossOutput, type OptimWrapperLike, type ParamGroup, type StateDict, type StateValue, TrainkitError } from '@trainkit/core';
import type { GradientMap, Optimizer } from '../optimizers/optimizer.js';
import { copyPlain } from '../util/json-number.js';
import { ownOptions } from '../util/options.js';
import { GradientAccumulation } from './accumulation.js';
import { type ClipGradSettings, clipGradNorm, clipGradValue } from './clip-grad.js';
import { type OptimWrapperOptions, clipSettings, optimWrapperOptions } from './options.js';

export interface OptimWrapperArgs extends OptimWrapperOptions {
  optimizer: Optimizer;
}

/**
 * MMEngine's OptimWrapper over TensorFlow.js: `updateParams(lossFn)` computes gradients,
 * accumulates them over `accumulative_counts` iterations, clips and steps, in one call that
 * leaves no tensor behind. `backward`, `step` and `zeroGrad` are there for custom train steps.
 */
export class OptimWrapper implements OptimWrapperLike {
  readonly optimizer: Optimizer;
  readonly clipGrad: ClipGradSettings | undefined;
  /**
   * With more than one param group, MMEngine adds a fake group holding the optimizer's defaults
   * that schedulers update too, and reports its lr as `base_lr`.
   */
  baseParamSettings: ParamGroup | undefined;
  protected readonly accumulation: GradientAccumulation;
  /** Accumulated gradients, kept across calls until the window's step. */
  protected pending: GradientMap = new Map();
  private flatParams: tf.Variable[] = [];
  private flatVersion = -1;

  constructor(args: OptimWrapperArgs, what = 'OptimWrapper') {
    const o = ownOptions(optimWrapperOptions, args, ['optimizer'], what);
    if (!args.optimizer || typeof (args.optimizer as Optimizer).step !== 'function') {
      throw new TrainkitError(`${what} needs a built optimizer (an @trainkit/optim Optimizer such as SGD)`);
    }
    this.optimizer = args.optimizer;
    this.accumulation = new GradientAccumulation(o.accumulative_counts);
    this.clipGrad = clipSettings(o);
    this.baseParamSettings =
      this.optimizer.paramGroups.length > 1 ? ({ ...copyPlain(this.optimizer.defaults), params: [] } as unknown as ParamGroup) : undefined;
  }

  get accumulativeCounts(): number {
    return this.accumulation.counts;
  }

  get innerCount(): number {
    return this.accumulation.innerCount;
  }

  get defaults(): Record<string, unknown> {
    return this.optimizer.defaults;
  }

  onGradients: ((grads: ReadonlyMap<tf.Variable, tf.Tensor>) => void) | undefined;

  /** The optimizer's groups, plus the base group when there is more than one. */
  get paramGroups(): ParamGroup[] {
    const groups = this.optimizer.paramGroups;
    return this.baseParamSettings ? [...groups, this.baseParamSettings] : groups;
  }

  /** Backward, then (at the end of an accumulation window) clip, step and clear gradients. */
  updateParams(lossFn: () => LossOutput): Record<string, tf.Scalar> | Promise<Record<string, tf.Scalar>> {
    const logVars = this.backward(lossFn);
    if (!this.shouldUpdate()) return logVars;
    // distributed: average the window's gradients over all ranks first, so clipping sees the mean
    const reducer = getGradientReducer();
    if (reducer && this.pending.size) return this.reducePending(reducer, logVars).then(() => this.finishUpdate(logVars));
    return this.finishUpdate(logVars);
  }

  private async reducePending(reducer: GradientReducer, logVars: Record<string, tf.Scalar>): Promise<void> {
    const params = [...this.pending.keys()];
    try {
      const reduced = await reducer.reduce(params.map((p) => this.pending.get(p)!));
      params.forEach((p, i) => {
        this.pending.get(p)!.dispose();
        this.pending.set(p, reduced[i]);
      });
    } catch (e) {
      this.zeroGrad();
      disposeValues(logVars);
      throw e;
    }
  }

  private finishUpdate(logVars: Record<string, tf.Scalar>): Record<string, tf.Scalar> {
    let norm: tf.Scalar | undefined;
    try {
      norm = this.step();
    } catch (e) {
      disposeValues(logVars);
      throw e;
    } finally {
      // a failed step must not leave its gradients to be added to the next window's
      this.zeroGrad();
    }
    // first, so the log line shows it right after the lr, where MMEngine's does
    return norm ? { grad_norm: norm, ...logVars } : logVars;
  }

  /**
   * Gradients of the (accumulation-scaled) loss, added to those already pending. Returns the
   * log vars, kept: the caller disposes them.
   */
  backward(lossFn: () => LossOutput): Record<string, tf.Scalar> {
    const factor = this.accumulation.lossFactor();
    let logVars: Record<string, tf.Scalar> = {};
    try {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const out = lossFn();
          // variableGrads frees what the loss function created; the log vars must outlive it
          for (const k in out.logVars) tf.keep(out.logVars[k]);
          logVars = out.logVars;
          return this.lossForBackward(factor === 1 ? out.loss : tf.div(out.loss, factor));
        }, this.params());
        this.accumulation.innerCount++;
        this.addPending(grads);
      });
    } catch (e) {
      // kept tensors are beyond tidy's reach
      disposeValues(logVars);
      throw e;
    }
    return logVars;
  }

  /** The loss whose gradients are taken (AmpOptimWrapper scales it). */
  protected lossForBackward(loss: tf.Scalar): tf.Scalar {
    return loss;
  }

  private addPending(grads: tf.NamedTensorMap): void {
    for (const p of this.params()) {
      const g = grads[p.name];
      if (!g) continue;
      const prev = this.pending.get(p);
      const sum = prev ? tf.add(prev, g) : g;
      tf.keep(sum);
      prev?.dispose();
      this.pending.set(p, sum);
    }
  }

  /**
   * Clips the pending gradients (when configured) and steps the optimizer. Returns the total
   * gradient norm for norm clipping (kept; the caller disposes it), else undefined.
   */
  step(): tf.Scalar | undefined {
    if (this.pending.size === 0) return undefined;
    this.onGradients?.(this.pending);
    return tf.tidy(() => {
      const { grads, norm } = this.clip(this.pending);
      this.optimizer.step(grads);
      return norm;
    });
  }

  protected clip(grads: GradientMap): { grads: GradientMap; norm?: tf.Scalar } {
    const c = this.clipGrad;
    if (!c) return { grads };
    if (c.type === 'value') return { grads: clipGradValue(grads, c.clipValue) };
    const { grads: clipped, totalNorm } = clipGradNorm(grads, c);
    return { grads: clipped, norm: totalNorm };
  }

  /** Drops the pending gradients. */
  zeroGrad(): void {
    for (const g of this.pending.values()) g.dispose();
    this.pending.clear();
  }

  shouldUpdate(): boolean {
    return this.accumulation.shouldUpdate();
  }

  shouldSync(): boolean {
    return this.accumulation.shouldSync();
  }

  /** What the next backward divides the loss by (MMEngine's scale_loss factor). */
  lossFactor(): number {
    return this.accumulation.lossFactor();
  }

  initializeCountStatus(model: unknown, initCounts: number, maxCounts: number): void {
    this.accumulation.initialize(initCounts, maxCounts, hasBatchNorm(model));
  }

  getLr(): Record<string, number[]> {
    const res: Record<string, number[]> = {};
    if (this.baseParamSettings) res.base_lr = [this.baseParamSettings.lr];
    res.lr = this.optimizer.paramGroups.map((g) => g.lr);
    return res;
  }

  getMomentum(): Record<string, number[]> {
    return {
      momentum: this.optimizer.paramGroups.map((g) => {
        if (typeof g.momentum === 'number') return g.momentum;
        if (Array.isArray(g.betas)) return Number(g.betas[0]);
        return 0;
      }),
    };
  }

  /** The optimizer's state dict plus `base_param_settings` when there are several groups. */
  stateDict(): StateDict {
    const sd = this.optimizer.stateDict();
    if (this.baseParamSettings) {
      const { params: _p, ...base } = this.baseParamSettings;
      sd.base_param_settings = copyPlain(base) as Record<string, StateValue>;
    }
    return sd;
  }

  loadStateDict(state: StateDict): void {
    const { base_param_settings: base, ...rest } = state;
    if (base && typeof base === 'object' && !Array.isArray(base)) {
      this.baseParamSettings = { ...(copyPlain(base) as object), params: [] } as unknown as ParamGroup;
    }
    this.optimizer.loadStateDict(rest);
  }

  /** Frees pending gradients and optimizer state. */
  dispose(): void {
    this.zeroGrad();
    this.optimizer.dispose();
  }

  /** Every variable of every group, for taking gradients (cached until groups change). */
  protected params(): tf.Variable[] {
    if (this.flatVersion !== this.optimizer.version) {
      // frozen variables stay in the list: variableGrads skips them at call time, so unfreezing works
      this.flatParams = this.optimizer.params;
      this.flatVersion = this.optimizer.version;
    }
    return this.flatParams;
  }

  toString(): string {
    return `Type: ${this.constructor.name}\n_accumulative_counts: ${this.accumulativeCounts}\noptimizer: \n${this.optimizer.typeName}\n`;
  }
}

function disposeValues(values: Record<string, tf.Tensor>): void {
  for (const v of Object.values(values)) if (!v.isDisposed) v.dispose();
}

/** Whether a model has batch-norm layers (accumulation then changes the statistics a little). */
function hasBatchNorm(model: unknown): boolean {
  const info = (model as { parameterInfo?: () => Array<{ module: string }> })?.parameterInfo;
  if (typeof info !== 'function') return false;
  return info.call(model).some((p) => /BatchNorm/i.test(p.module));
}
