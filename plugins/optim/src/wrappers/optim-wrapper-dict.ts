import type * as tf from '@tensorflow/tfjs';
import { type LossOutput, type OptimWrapperLike, type ParamGroup, type StateDict, TrainkitError } from '@trainkit/core';

/**
 * Several optimizer wrappers under names, for models trained with more than one optimizer (a
 * GAN's generator and discriminator). Steps go to the members (`dict.get('generator')`
 * in a custom `trainStep`); learning rates, momenta and state are reported per member.
 */
export class OptimWrapperDict implements OptimWrapperLike {
  /** The members by name; core builds one scheduler list per member from this. */
  readonly wrappers: Record<string, OptimWrapperLike>;

  constructor(wrappers: Record<string, OptimWrapperLike>) {
    for (const [name, w] of Object.entries(wrappers)) {
      if (!w || typeof (w as OptimWrapperLike).updateParams !== 'function') {
        throw new TrainkitError(`OptimWrapperDict: "${name}" is not an optimizer wrapper; every value must be an OptimWrapper`);
      }
    }
    this.wrappers = { ...wrappers };
  }

  get(name: string): OptimWrapperLike {
    const w = this.wrappers[name];
    if (!w) throw new TrainkitError(`OptimWrapperDict has no wrapper named "${name}" (it has ${this.keys().join(', ')})`);
    return w;
  }

  has(name: string): boolean {
    return name in this.wrappers;
  }

  keys(): string[] {
    return Object.keys(this.wrappers);
  }

  values(): OptimWrapperLike[] {
    return Object.values(this.wrappers);
  }

  entries(): Array<[string, OptimWrapperLike]> {
    return Object.entries(this.wrappers);
  }

  get size(): number {
    return this.keys().length;
  }

  updateParams(_lossFn: () => LossOutput): Record<string, tf.Scalar> {
    throw new TrainkitError(
      'OptimWrapperDict.updateParams is not supported: override the model\'s trainStep and call updateParams on each member, e.g. optimWrapper.get("generator").updateParams(...)',
    );
  }

  /** Every member's groups, so `auto_scale_lr` scales them all. */
  get paramGroups(): ParamGroup[] {
    return this.values().flatMap((w) => w.paramGroups);
  }

  /** `{'<name>.lr': [...], '<name>.base_lr': [...]}` for every member. */
  getLr(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const [name, w] of this.entries()) for (const [k, v] of Object.entries(w.getLr())) out[`${name}.${k}`] = v;
    return out;
  }

  getMomentum(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const [name, w] of this.entries()) for (const [k, v] of Object.entries(w.getMomentum())) out[`${name}.${k}`] = v;
    return out;
  }

  /** Reaches every member, so each one's gradients are seen when it steps. */
  set onGradients(observer: ((grads: ReadonlyMap<tf.Variable, tf.Tensor>) => void) | undefined) {
    for (const w of this.values()) w.onGradients = observer;
  }
  get onGradients(): ((grads: ReadonlyMap<tf.Variable, tf.Tensor>) => void) | undefined {
    return this.values()[0]?.onGradients;
  }

  /** MMEngine leaves the members' counters alone here; a custom train step owns them. */
  initializeCountStatus(): void {}

  zeroGrad(): void {
    for (const w of this.values()) (w as { zeroGrad?: () => void }).zeroGrad?.();
  }

  stateDict(): StateDict {
    return Object.fromEntries(this.entries().map(([name, w]) => [name, w.stateDict()]));
  }

  loadStateDict(state: StateDict): void {
    for (const [name, s] of Object.entries(state)) {
      if (!this.has(name))
        throw new TrainkitError(`the optimizer state has "${name}", which is not a member of this OptimWrapperDict (${this.keys().join(', ')})`);
      this.wrappers[name].loadStateDict(s as StateDict);
    }
  }

  dispose(): void {
    for (const w of this.values()) w.dispose?.();
  }
}
