import * as tf from '@tensorflow/tfjs';
import type { BaseModel } from '../model/base-model.js';
import type { LossOutput, OptimWrapperConstructorLike, OptimWrapperLike, ParamGroup } from '../optim/types.js';
import type { StateDict } from '../types.js';

/**
 * A minimal optimizer wrapper (plain SGD, one group) for testing the runtime without
 * @trainkit/optim. Real runs use the optim plugin.
 */
export class SimpleSGDWrapper implements OptimWrapperLike {
  readonly paramGroups: ParamGroup[];
  steps = 0;
  onGradients: ((grads: ReadonlyMap<tf.Variable, tf.Tensor>) => void) | undefined;

  constructor(
    model: BaseModel,
    readonly lr = 0.1,
  ) {
    this.paramGroups = [{ params: model.namedParameters().map(([, v]) => v), lr }];
  }

  updateParams(lossFn: () => LossOutput): Record<string, tf.Scalar> {
    const group = this.paramGroups[0];
    return tf.tidy(() => {
      let logVars: Record<string, tf.Scalar> = {};
      const { grads } = tf.variableGrads(() => {
        const out = lossFn();
        // variableGrads frees what the loss function created; the log vars must outlive it
        for (const k in out.logVars) tf.keep(out.logVars[k]);
        logVars = out.logVars;
        return out.loss;
      }, group.params);
      this.onGradients?.(new Map(group.params.map((v) => [v, grads[v.name]])));
      for (const v of group.params) v.assign(tf.sub(v, tf.mul(grads[v.name], group.lr)));
      this.steps++;
      return logVars;
    });
  }

  getLr(): Record<string, number[]> {
    return { lr: this.paramGroups.map((g) => g.lr) };
  }

  getMomentum(): Record<string, number[]> {
    return { momentum: [0] };
  }

  initializeCountStatus(): void {}

  stateDict(): StateDict {
    return { steps: this.steps, lr: this.paramGroups[0].lr };
  }

  loadStateDict(state: StateDict): void {
    this.steps = state.steps as number;
    this.paramGroups[0].lr = state.lr as number;
  }
}

export class SimpleSGDConstructor implements OptimWrapperConstructorLike {
  readonly lr: number;
  constructor(opts: { optim_wrapper_cfg?: { optimizer?: { lr?: number } } }) {
    this.lr = opts.optim_wrapper_cfg?.optimizer?.lr ?? 0.1;
  }
  build(model: unknown): OptimWrapperLike {
    return new SimpleSGDWrapper(model as BaseModel, this.lr);
  }
}
