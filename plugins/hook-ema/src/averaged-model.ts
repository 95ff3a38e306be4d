import * as tf from '@tensorflow/tfjs';
import { TrainkitError } from '@trainkit/core';

/** What an average is taken of: a BaseModel, or anything naming its variables the same way. */
export interface AveragingSource {
  /** Trainable variables by name. */
  namedParameters(): Array<[string, tf.Variable]>;
  /** Non-trainable state by name (BatchNorm statistics, ...). */
  namedBuffers(): Array<[string, tf.Variable]>;
}

export interface AveragedModelOptions {
  model: AveragingSource;
  /** Average every `interval`-th update; the updates between leave the average unchanged. */
  interval?: number;
  /** Average the buffers too; otherwise they are copied from the model at every update. */
  update_buffers?: boolean;
}

export interface AveragedLoadReport {
  missing: string[];
  unexpected: string[];
}

/**
 * A running average of a model's weights, held as one non-trainable variable per state entry
 * (MMEngine's BaseAveragedModel): `updateParameters(model)` folds the model's current weights in,
 * `stateDict()` is `{steps, 'module.<name>': ...}`, `loadStateDict` restores it.
 *
 * Subclasses say how much the new value weighs at each update (`weightOfNew`); every average
 * trainkit ships is `avg + w * (src - avg)` with a per-update `w`. One update is one `tf.tidy`
 * with one scalar upload and three kernels per parameter, results are assigned into the
 * variables, and nothing is read back to JS, so it never syncs an accelerator.
 */
export abstract class BaseAveragedModel {
  readonly interval: number;
  readonly updateBuffers: boolean;
  /** Updates so far (MMEngine's `steps` buffer). */
  steps = 0;
  /** The averaged copy: a variable per state entry of the source, by name. */
  readonly module = new Map<string, tf.Variable>();
  /** Names that are averaged (parameters, plus buffers with `update_buffers`). */
  readonly averagedNames: readonly string[];
  /** Names copied from the source at every update (buffers without `update_buffers`). */
  readonly copiedNames: readonly string[];
  private readonly stepsVar: tf.Variable;
  private disposed = false;

  constructor(opts: AveragedModelOptions) {
    if (!opts?.model || typeof opts.model.namedParameters !== 'function') {
      throw new TrainkitError(`${new.target.name} needs the model to average ({model, ...}); EMAHook passes runner.model`);
    }
    this.interval = opts.interval ?? 1;
    this.updateBuffers = opts.update_buffers ?? false;
    const params = opts.model.namedParameters();
    const buffers = opts.model.namedBuffers();
    // tf.variable shares the source's data (tfjs tensors are immutable), so this copy is free
    for (const [name, v] of [...params, ...buffers]) this.module.set(name, tf.variable(v, false));
    this.averagedNames = this.updateBuffers ? [...this.module.keys()] : params.map(([n]) => n);
    this.copiedNames = this.updateBuffers ? [] : buffers.map(([n]) => n);
    this.stepsVar = tf.tidy(() => tf.variable(tf.scalar(0, 'int32'), false));
  }

  /** The weight of the new value at the update made when `steps` updates were made before. */
  protected abstract weightOfNew(steps: number): number;

  /**
   * The new average of one tensor (called inside `tf.tidy`). Override for an average that is not
   * a weighted step towards the source.
   */
  protected average(avg: tf.Tensor, src: tf.Tensor, weight: tf.Scalar, _steps: number): tf.Tensor {
    return tf.add(avg, tf.mul(tf.sub(src, avg), weight));
  }

  /** Folds the model's current weights into the average (MMEngine's `update_parameters`). */
  updateParameters(model: AveragingSource): void {
    this.checkAlive();
    const src = sourceMap(model);
    const steps = this.steps;
    tf.tidy(() => {
      if (steps === 0) {
        for (const name of this.averagedNames) this.module.get(name)!.assign(this.sourceOf(src, name));
      } else if (steps % this.interval === 0) {
        const weight = tf.scalar(this.weightOfNew(steps));
        for (const name of this.averagedNames) {
          const avg = this.module.get(name)!;
          if (avg.dtype !== 'float32') continue; // integer state is not averaged
          avg.assign(this.average(avg, this.sourceOf(src, name), weight, steps));
        }
      }
      for (const name of this.copiedNames) this.module.get(name)!.assign(this.sourceOf(src, name));
    });
    this.steps = steps + 1;
  }

  /** Makes every entry equal to the model's, leaving `steps` alone (EMAHook before it begins). */
  copyFrom(model: AveragingSource): void {
    this.checkAlive();
    const src = sourceMap(model);
    for (const [name, avg] of this.module) avg.assign(this.sourceOf(src, name));
  }

  /**
   * Exchanges values with the model: parameters, and buffers with `update_buffers`. Only data
   * references move (no copy, no new tensor), so swapping in and out for validation is free.
   */
  swapWith(model: AveragingSource): void {
    this.checkAlive();
    const src = sourceMap(model);
    tf.tidy(() => {
      for (const name of this.averagedNames) {
        const mine = this.module.get(name)!;
        const theirs = this.sourceOf(src, name);
        const held = tf.clone(theirs);
        theirs.assign(mine);
        mine.assign(held);
      }
    });
  }

  /** `{steps, 'module.<name>': variable}`; the tensors are live: do not dispose them. */
  stateDict(): Record<string, tf.Tensor> {
    this.checkAlive();
    tf.tidy(() => this.stepsVar.assign(tf.scalar(this.steps, 'int32')));
    const sd: Record<string, tf.Tensor> = { steps: this.stepsVar };
    for (const [name, v] of this.module) sd[`module.${name}`] = v;
    return sd;
  }

  /** Restores `stateDict()` output; `strict` fails on missing or unexpected keys. */
  loadStateDict(state: Record<string, unknown>, strict = false): AveragedLoadReport {
    const entries: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(state)) if (k.startsWith('module.')) entries[k.slice(7)] = v;
    const unexpected = Object.keys(state).filter((k) => k !== 'steps' && !k.startsWith('module.'));
    const report = this.loadModuleState(entries, strict, unexpected, 'steps' in state ? [] : ['steps']);
    if ('steps' in state) this.steps = readCount(state.steps);
    return report;
  }

  /** Loads plain model weights (a checkpoint's `state_dict`) into the averaged copy. */
  loadModuleState(state: Record<string, unknown>, strict = false, extraUnexpected: string[] = [], extraMissing: string[] = []): AveragedLoadReport {
    this.checkAlive();
    const missing = [...extraMissing, ...[...this.module.keys()].filter((k) => !(k in state))];
    const unexpected = [...extraUnexpected, ...Object.keys(state).filter((k) => !this.module.has(k))];
    if (strict && (missing.length || unexpected.length)) {
      throw new TrainkitError(
        `the averaged model's state does not match (strict_load)\n  missing keys: ${missing.join(', ') || '(none)'}\n  unexpected keys: ${unexpected.join(', ') || '(none)'}`,
      );
    }
    tf.tidy(() => {
      for (const [name, v] of this.module) {
        const value = state[name];
        if (!(value instanceof tf.Tensor)) continue;
        if (value.shape.length !== v.shape.length || value.shape.some((d: number, i: number) => d !== v.shape[i])) {
          throw new TrainkitError(`cannot load averaged "${name}": the checkpoint has shape [${value.shape}], the model [${v.shape}]`);
        }
        v.assign(value.dtype === v.dtype ? value : tf.cast(value, v.dtype));
      }
    });
    return { missing, unexpected };
  }

  /** How many tensors the average keeps alive (its variables and the `steps` counter). */
  get numTensors(): number {
    return this.disposed ? 0 : this.module.size + 1;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.module.values()) v.dispose();
    this.stepsVar.dispose();
  }

  private sourceOf(src: Map<string, tf.Variable>, name: string): tf.Variable {
    const v = src.get(name);
    if (!v) throw new TrainkitError(`the model has no "${name}" any more, but the averaged copy has: the model changed after the average was made`);
    return v;
  }

  private checkAlive(): void {
    if (this.disposed) throw new TrainkitError('this averaged model was disposed');
  }
}

function sourceMap(model: AveragingSource): Map<string, tf.Variable> {
  return new Map([...model.namedParameters(), ...model.namedBuffers()]);
}

function readCount(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof tf.Tensor) return Number(v.dataSync()[0]);
  throw new TrainkitError(`an averaged model's "steps" must be a number or a scalar tensor, got ${typeof v}`);
}
