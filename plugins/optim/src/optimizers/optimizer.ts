import * as tf from '@tensorflow/tfjs';
import { type ParamGroup, type StateDict, type StateValue, TrainkitError } from '@trainkit/core';
import { copyPlain } from '../util/json-number.js';

/** A param group as given to an optimizer: its variables and any hyper-parameter overrides. */
export interface ParamGroupInput {
  params: tf.Variable[];
  [hyperParameter: string]: unknown;
}

/** Parameters as PyTorch accepts them: one list of variables, or a list of groups. */
export type Params = tf.Variable[] | ParamGroupInput[];

/** Gradients by variable; a variable without an entry has no gradient this step (skipped). */
export type GradientMap = Map<tf.Variable, tf.Tensor>;

/** Per-parameter optimizer state: tensors (kept as variables so references stay valid) and numbers. */
export type ParamState = Record<string, tf.Variable | number>;

/** The options every optimizer takes besides its hyper-parameters. */
export interface OptimizerBaseOptions {
  params: Params;
}

/**
 * PyTorch's `torch.optim.Optimizer` on TensorFlow.js: param groups that carry their own
 * hyper-parameters (filled from `defaults`), per-parameter state, and a state dict keyed by
 * parameter index that round-trips exactly. Subclasses implement one parameter's update.
 *
 * Each parameter is updated inside its own `tf.tidy` so the peak memory of a step is that of
 * the largest tensor, not of the whole model, and every result lands through `assign`.
 */
export abstract class Optimizer {
  readonly defaults: Record<string, unknown>;
  readonly paramGroups: ParamGroup[] = [];
  readonly state = new Map<tf.Variable, ParamState>();
  /** Bumped when groups are added, so callers caching the flat parameter list can tell. */
  version = 0;

  constructor(
    params: Params,
    defaults: Record<string, unknown>,
    readonly typeName: string,
  ) {
    this.defaults = defaults;
    if (!Array.isArray(params) || params.length === 0) {
      throw new TrainkitError(`${typeName} got an empty parameter list: the model has no trainable variables (or every one was filtered out)`);
    }
    const groups: ParamGroupInput[] = params[0] instanceof tf.Variable ? [{ params: params as tf.Variable[] }] : (params as ParamGroupInput[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Adds a group; missing hyper-parameters come from `defaults` (PyTorch's add_param_group). */
  addParamGroup(input: ParamGroupInput): void {
    if (!input || !Array.isArray(input.params)) throw new TrainkitError(`${this.typeName}: a param group needs a "params" list of tf.Variable`);
    const params = input.params;
    for (const p of params) {
      if (!(p instanceof tf.Variable)) throw new TrainkitError(`${this.typeName}: param groups hold tf.Variable objects, got ${typeof p}`);
    }
    if (new Set(params).size !== params.length) throw new TrainkitError(`${this.typeName}: a param group lists the same variable twice`);
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    const dup = params.find((p) => seen.has(p));
    if (dup) {
      throw new TrainkitError(
        `${this.typeName}: some parameters appear in more than one parameter group (variable "${dup.name}"); set paramwise_cfg.bypass_duplicate: true for shared weights`,
      );
    }
    const group = { ...copyPlain({ ...input, params: [] }), params: [...params] } as ParamGroup;
    for (const [k, v] of Object.entries(this.defaults)) if (!(k in group)) group[k] = copyPlain(v);
    this.paramGroups.push(group);
    this.version++;
  }

  /** Every parameter in group order (the order state-dict indices count in). */
  get params(): tf.Variable[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /** One update of every parameter that has a gradient. */
  step(grads: GradientMap): void {
    for (const group of this.paramGroups) {
      const hyper = this.prepareGroup(group);
      for (const p of group.params) {
        const g = grads.get(p);
        if (!g) continue;
        let s = this.state.get(p);
        if (!s) {
          s = this.initState(p, group);
          this.state.set(p, s);
        }
        const st = s;
        tf.tidy(() => this.update(p, g, st, hyper));
      }
    }
  }

  /** Reads a group's hyper-parameters once per step (subclasses return a typed record). */
  protected abstract prepareGroup(group: ParamGroup): unknown;

  /** Fresh state for a parameter on its first step. */
  protected abstract initState(p: tf.Variable, group: ParamGroup): ParamState;

  /** One parameter's update; runs inside `tf.tidy`, writes through `assign`. */
  protected abstract update(p: tf.Variable, grad: tf.Tensor, state: ParamState, hyper: unknown): void;

  /** PyTorch keeps no gradients on the optimizer here (the wrapper owns them): nothing to clear. */
  zeroGrad(): void {}

  /**
   * `{state: {<index>: {...}}, param_groups: [{...hyper, params: [indices]}]}` as PyTorch lays it
   * out. Tensors are the live state variables (valid until the optimizer is disposed): copy
   * them before training on if the values must be kept.
   */
  stateDict(): StateDict {
    const index = new Map<tf.Variable, number>();
    const paramGroups: StateValue[] = this.paramGroups.map((g) => {
      const { params, ...hyper } = g;
      const ids = params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p)!;
      });
      return { ...(copyPlain(hyper) as Record<string, StateValue>), params: ids };
    });
    const state: Record<string, StateValue> = {};
    for (const [p, i] of index) {
      const s = this.state.get(p);
      if (s) state[String(i)] = { ...s };
    }
    return { state, param_groups: paramGroups };
  }

  /** Restores groups' hyper-parameters and per-parameter state; tensors are copied in. */
  loadStateDict(sd: StateDict): void {
    const groups = sd.param_groups as Array<Record<string, unknown>> | undefined;
    if (!Array.isArray(groups)) throw new TrainkitError(`${this.typeName}.loadStateDict: the state dict has no param_groups list`);
    if (groups.length !== this.paramGroups.length) {
      throw new TrainkitError(
        `${this.typeName}.loadStateDict: the state dict has ${groups.length} param group(s), the optimizer ${this.paramGroups.length}; was it saved with another paramwise_cfg?`,
      );
    }
    const byIndex: tf.Variable[] = [];
    groups.forEach((saved, gi) => {
      const live = this.paramGroups[gi];
      const ids = saved.params as unknown[];
      if (!Array.isArray(ids) || ids.length !== live.params.length) {
        throw new TrainkitError(
          `${this.typeName}.loadStateDict: param group ${gi} has ${Array.isArray(ids) ? ids.length : 'no'} parameters in the state dict and ${live.params.length} in the optimizer`,
        );
      }
      ids.forEach((id, k) => {
        byIndex[Number(id)] = live.params[k];
      });
    });
    const fresh = new Map<tf.Variable, ParamState>();
    const saved = (sd.state ?? {}) as Record<string, Record<string, unknown>>;
    for (const [key, entry] of Object.entries(saved)) {
      const p = byIndex[Number(key)];
      if (!p) throw new TrainkitError(`${this.typeName}.loadStateDict: state for parameter ${key}, which no param group lists`);
      const s: ParamState = {};
      for (const [name, v] of Object.entries(entry)) {
        if (v instanceof tf.Tensor) {
          if (!sameShape(v.shape, p.shape)) {
            throw new TrainkitError(`${this.typeName}.loadStateDict: state "${name}" of parameter ${key} has shape [${v.shape}], the parameter [${p.shape}]`);
          }
          s[name] = tf.tidy(() => tf.variable(v.dtype === 'float32' ? v.clone() : tf.cast(v, 'float32'), false));
        } else if (typeof v === 'number') {
          s[name] = v;
        } else if (v !== null && v !== undefined) {
          throw new TrainkitError(`${this.typeName}.loadStateDict: state "${name}" of parameter ${key} is neither a tensor nor a number`);
        }
      }
      fresh.set(p, s);
    }
    // hyper-parameters last: nothing above can fail half-way through with groups already changed
    groups.forEach((saved, gi) => {
      const live = this.paramGroups[gi];
      for (const k of Object.keys(live)) if (k !== 'params' && !(k in saved)) delete live[k];
      for (const [k, v] of Object.entries(saved)) if (k !== 'params') live[k] = copyPlain(v);
    });
    this.disposeState();
    for (const [p, s] of fresh) this.state.set(p, s);
  }

  /** Frees every state tensor. */
  dispose(): void {
    this.disposeState();
  }

  private disposeState(): void {
    for (const s of this.state.values()) for (const v of Object.values(s)) if (typeof v !== 'number') v.dispose();
    this.state.clear();
  }
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A zero-filled state tensor shaped like `p`. */
export function zerosState(p: tf.Variable, fill = 0): tf.Variable {
  return tf.tidy(() => tf.variable(fill === 0 ? tf.zerosLike(p) : tf.fill(p.shape, fill), false));
}

// The helpers below build the pieces PyTorch's update rules share; they run inside `update`'s tidy.

/** Counts one more step in a parameter's state and returns the new count (1 on the first step). */
export function countStep(s: ParamState): number {
  const step = (s.step as number) + 1;
  s.step = step;
  return step;
}

/**
 * The gradient a PyTorch optimizer steps along: negated under `maximize`, then with L2 weight
 * decay (`weight_decay * p`) added.
 */
export function l2Grad(p: tf.Variable, grad: tf.Tensor, h: { weightDecay: number; maximize: boolean }): tf.Tensor {
  const g = h.maximize ? tf.neg(grad) : grad;
  return h.weightDecay !== 0 ? tf.add(g, tf.mul(p, h.weightDecay)) : g;
}

/** Decoupled weight decay (AdamW, Lion): the weights shrink by `lr * weight_decay` before the step. */
export function shrunk(p: tf.Variable, h: { lr: number; weightDecay: number }): tf.Tensor {
  return h.weightDecay !== 0 ? tf.mul(p, 1 - h.lr * h.weightDecay) : p;
}

/** An exponential moving average's next value, `avg * beta + x * (1 - beta)` (PyTorch's `lerp`). */
export function ema(avg: tf.Tensor, x: tf.Tensor, beta: number): tf.Tensor {
  return tf.add(tf.mul(avg, beta), tf.mul(x, 1 - beta));
}
