import * as tf from '@tensorflow/tfjs';
import { isPlainObject } from '../config/merge.js';

/** `T` with every tensor replaced by what reading it gives: a number for a scalar, else a typed array. */
export type ReadValues<T> = T extends tf.Scalar
  ? number
  : T extends tf.Tensor
    ? tf.TypedArray
    : T extends Array<infer U>
      ? Array<ReadValues<U>>
      : T extends object
        ? { [K in keyof T]: ReadValues<T[K]> }
        : T;

function collect(value: unknown, into: Set<tf.Tensor>): void {
  if (value instanceof tf.Tensor) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, into);
  else if (isPlainObject(value)) for (const k in value) collect(value[k], into);
}

function substitute(value: unknown, read: Map<tf.Tensor, number | tf.TypedArray>): unknown {
  if (value instanceof tf.Tensor) return read.get(value);
  if (Array.isArray(value)) return value.map((v) => substitute(v, read));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k in value) out[k] = substitute(value[k], read);
    return out;
  }
  return value;
}

/** The tensors in arrays and plain objects, each once. */
export function tensorsIn(value: unknown): Set<tf.Tensor> {
  const tensors = new Set<tf.Tensor>();
  collect(value, tensors);
  return tensors;
}

/**
 * Reads every tensor in arrays and plain objects with `await tensor.data()` (all reads start
 * before the first await, so GPU copies overlap) and returns the structure with the values in
 * their place. Works on every backend, WebGPU included, where `dataSync()` does not. The
 * tensors are disposed after reading, except variables and those `keep` names.
 */
export async function readTensors<T>(value: T, keep: ReadonlySet<tf.Tensor> = new Set()): Promise<ReadValues<T>> {
  const tensors = tensorsIn(value);
  if (tensors.size === 0) return value as ReadValues<T>;
  const list = [...tensors];
  try {
    const data = await Promise.all(list.map((t) => t.data()));
    const read = new Map(list.map((t, i) => [t, t.rank === 0 ? Number(data[i][0]) : (data[i] as tf.TypedArray)] as const));
    return substitute(value, read) as ReadValues<T>;
  } finally {
    for (const t of list) if (!(t instanceof tf.Variable) && !keep.has(t)) t.dispose();
  }
}
