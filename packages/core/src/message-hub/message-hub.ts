import * as tf from '@tensorflow/tfjs';
import { backendReadsSync } from '../env/backend-capabilities.js';
import { TrainkitError } from '../errors.js';
import { HistoryBuffer } from './history-buffer.js';

export type ScalarLike = number | tf.Tensor;

export interface MessageHubState {
  log_scalars: Record<string, { log_history: number[]; count_history: number[]; max_length: number }>;
  runtime_info: Record<string, unknown>;
  resumed_keys: Record<string, boolean>;
}

/**
 * Where the runtime's components meet: smoothed scalars (`train/loss`, `val/acc`, ...) and
 * runtime info (`epoch`, `iter`, `eta`, best checkpoint, ...). One per runner.
 *
 * Scalars may be given as tfjs scalars; they are read when someone asks for a statistic, not
 * when they arrive, so an accelerator is not forced to sync on every iteration.
 */
export class MessageHub {
  private readonly scalars = new Map<string, HistoryBuffer>();
  private readonly pending = new Map<string, Array<[tf.Tensor, number, unknown]>>();
  private readonly info = new Map<string, unknown>();
  private readonly resumedKeys = new Map<string, boolean>();
  /** When false, tensors are read as they arrive (cheap on CPU backends where data is local). */
  deferReads = false;
  /** Pending reads per key beyond which they are resolved anyway (bounds memory). */
  maxPending = 256;
  /** Number of tensors the hub holds for deferred reads (the leak guard subtracts them). */
  heldTensors = 0;
  /** The latest asynchronous read (see `settle`). */
  private settling: Promise<void> = Promise.resolve();
  private readonly settleListeners: Array<() => void> = [];
  /**
   * Sees every value as it reaches a history, with the iteration it was logged at (the loss
   * guard). It runs where values are read anyway: at once on CPU backends, at `settle` on
   * deferred ones, so watching costs no extra device sync. What it throws fails the update.
   */
  watcher: ((key: string, value: number, iter: unknown) => void) | undefined;

  constructor(readonly name = 'trainkit') {}

  private markResumed(key: string, resumed: boolean): void {
    const prev = this.resumedKeys.get(key);
    if (prev !== undefined && prev !== resumed) {
      throw new TrainkitError(`the "resumed" flag of "${key}" was ${prev} and cannot change to ${resumed}`);
    }
    this.resumedKeys.set(key, resumed);
  }

  /** Appends a value to the history of `key` (count-weighted for means). */
  updateScalar(key: string, value: ScalarLike, count = 1, resumed = true): void {
    if (this.resumedKeys.get(key) !== resumed) this.markResumed(key, resumed);
    if (typeof value === 'number') {
      this.bufferFor(key).update(value, count);
      this.watcher?.(key, value, this.info.get('iter'));
      return;
    }
    if (value.size !== 1) throw new TrainkitError(`message hub scalar "${key}" must have exactly one element, got shape [${value.shape}]`);
    if (!this.deferReads) {
      const v = (value.dataSync() as Float32Array)[0];
      this.bufferFor(key).update(v, count);
      this.watcher?.(key, v, this.info.get('iter'));
      return;
    }
    let list = this.pending.get(key);
    if (!list) {
      list = [];
      this.pending.set(key, list);
      this.bufferFor(key);
    }
    list.push([value.clone(), count, this.info.get('iter')]);
    this.heldTensors++;
    if (list.length >= this.maxPending) {
      if (backendReadsSync()) this.resolve(key);
      else this.settle().catch(() => {}); // a failed read surfaces at the next settle()
    }
  }

  updateScalars(values: Record<string, ScalarLike | { value: ScalarLike; count?: number }>, resumed = true): void {
    for (const [k, v] of Object.entries(values)) {
      if (typeof v === 'object' && v !== null && 'value' in v) this.updateScalar(k, v.value, v.count ?? 1, resumed);
      else this.updateScalar(k, v as ScalarLike, 1, resumed);
    }
  }

  private bufferFor(key: string): HistoryBuffer {
    let b = this.scalars.get(key);
    if (!b) {
      b = new HistoryBuffer();
      this.scalars.set(key, b);
    }
    return b;
  }

  private resolve(key: string): void {
    const list = this.pending.get(key);
    if (!list || list.length === 0) return;
    if (!backendReadsSync()) {
      throw new TrainkitError(
        `message hub scalar "${key}" has values still on the device, which this backend cannot read synchronously\n  fix: await runner.messageHub.settle() before reading scalars (LoggerHook and checkpoints do)`,
      );
    }
    const buffer = this.bufferFor(key);
    const taken = list.splice(0);
    this.heldTensors -= taken.length;
    const values = taken.map(([t]) => (t.dataSync() as Float32Array)[0]);
    tf.dispose(taken.map(([t]) => t));
    for (const [i, [, count]] of taken.entries()) buffer.update(values[i], count);
    for (const [i, [, , iter]] of taken.entries()) this.watcher?.(key, values[i], iter);
  }

  /** Reads every pending tensor value (call before saving state or at the end of a run). */
  flush(): void {
    for (const key of this.pending.keys()) this.resolve(key);
  }

  /**
   * Reads every pending tensor value asynchronously, in one device round trip: the way to bring
   * the hub up to date on backends without synchronous reads (WebGPU). Call before reading
   * scalars at a logging interval; cheap when nothing is pending. The values taken now reach
   * their buffers after those of every earlier settle, so histories keep their order.
   */
  settle(): Promise<void> {
    // nothing on the device: whoever produced the values has already waited for it
    if (this.heldTensors === 0) {
      if (this.settleListeners.length) this.settling = this.settling.then(() => this.notifySettled());
      return this.settling;
    }
    const taken: Array<[string, Array<[tf.Tensor, number, unknown]>]> = [];
    for (const [key, list] of this.pending) if (list.length) taken.push([key, list.splice(0)]);
    const tensors = taken.flatMap(([, list]) => list.map(([t]) => t));
    this.heldTensors -= tensors.length;
    const packed = tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(t.dtype === 'float32' ? t : tf.cast(t, 'float32'), [1]))));
    tf.dispose(tensors);
    const reading = packed.data().finally(() => packed.dispose());
    const previous = this.settling;
    this.settling = (async () => {
      const values = await reading;
      await previous;
      let i = 0;
      for (const [key, list] of taken) {
        const buffer = this.bufferFor(key);
        for (const [, count] of list) buffer.update(values[i++], count);
      }
      this.notifySettled();
      i = 0;
      for (const [key, list] of taken) for (const [, , iter] of list) this.watcher?.(key, values[i++], iter);
    })();
    return this.settling;
  }

  private notifySettled(): void {
    for (const listener of this.settleListeners) listener();
  }

  /**
   * Calls `listener` each time a `settle` has read its values: the device has then finished the
   * work those values came from (IterTimerHook measures GPU iterations this way).
   */
  onSettled(listener: () => void): void {
    this.settleListeners.push(listener);
  }

  getScalar(key: string): HistoryBuffer {
    const b = this.scalars.get(key);
    if (!b) throw new TrainkitError(`"${key}" is not a scalar in the message hub`);
    this.resolve(key);
    return b;
  }

  hasScalar(key: string): boolean {
    return this.scalars.has(key);
  }

  /** All scalar buffers in insertion order, with pending values read. */
  get logScalars(): Map<string, HistoryBuffer> {
    this.flush();
    return this.scalars;
  }

  updateInfo(key: string, value: unknown, resumed = true): void {
    if (this.resumedKeys.get(key) !== resumed) this.markResumed(key, resumed);
    this.info.set(key, value);
  }

  updateInfoDict(values: Record<string, unknown>, resumed = true): void {
    for (const [k, v] of Object.entries(values)) this.updateInfo(k, v, resumed);
  }

  getInfo<T = unknown>(key: string, defaultValue?: T): T | undefined {
    return (this.info.has(key) ? this.info.get(key) : defaultValue) as T | undefined;
  }

  popInfo<T = unknown>(key: string, defaultValue?: T): T | undefined {
    const v = this.getInfo<T>(key, defaultValue);
    this.info.delete(key);
    return v;
  }

  get runtimeInfo(): Map<string, unknown> {
    return this.info;
  }

  stateDict(): MessageHubState {
    this.flush();
    const log_scalars: MessageHubState['log_scalars'] = {};
    for (const [k, b] of this.scalars) if (this.resumedKeys.get(k)) log_scalars[k] = b.stateDict();
    const runtime_info: Record<string, unknown> = {};
    for (const [k, v] of this.info) if (this.resumedKeys.get(k)) runtime_info[k] = structuredCloneSafe(v);
    return { log_scalars, runtime_info, resumed_keys: Object.fromEntries(this.resumedKeys) };
  }

  loadStateDict(state: MessageHubState): void {
    for (const [k, s] of Object.entries(state.log_scalars ?? {})) this.scalars.set(k, HistoryBuffer.fromState(s));
    for (const [k, v] of Object.entries(state.runtime_info ?? {})) this.info.set(k, v);
    for (const [k, v] of Object.entries(state.resumed_keys ?? {})) this.resumedKeys.set(k, v);
  }

  /** Releases held tensors. */
  dispose(): void {
    for (const list of this.pending.values()) for (const [t] of list) t.dispose();
    this.pending.clear();
    this.heldTensors = 0;
  }
}

function structuredCloneSafe(v: unknown): unknown {
  try {
    return structuredClone(v);
  } catch {
    return v;
  }
}
