import * as v8 from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import type { ProcessGroup } from './process-group.js';

/**
 * Collectives on TensorFlow.js values: tensors are read into one flat Float32Array per bucket,
 * reduced by the backend's collectives, and written back. Buckets bound the host memory and let
 * large models reduce in pieces (DDP's bucket_cap_mb).
 */

/** Splits tensors (in order) into runs of at most `capBytes` float32 bytes (one oversize tensor alone). */
export function bucketize<T extends { size: number }>(tensors: T[], capBytes: number): T[][] {
  const buckets: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const t of tensors) {
    if (current.length && bytes + t.size * 4 > capBytes) {
      buckets.push(current);
      current = [];
      bytes = 0;
    }
    current.push(t);
    bytes += t.size * 4;
  }
  if (current.length) buckets.push(current);
  return buckets;
}

async function flatten(tensors: tf.Tensor[]): Promise<Float32Array> {
  const total = tensors.reduce((n, t) => n + t.size, 0);
  const flat = new Float32Array(total);
  const data = await Promise.all(tensors.map((t) => t.data()));
  let off = 0;
  for (const d of data) {
    flat.set(d as Float32Array, off);
    off += d.length;
  }
  return flat;
}

/**
 * The mean over ranks of each tensor, as new tensors (the caller owns and disposes them; the
 * inputs are left alone). Float tensors only.
 */
export async function allReduceMeanTensors(group: ProcessGroup, tensors: tf.Tensor[], capBytes = 25 * 2 ** 20): Promise<tf.Tensor[]> {
  const out: tf.Tensor[] = [];
  try {
    for (const bucket of bucketize(tensors, capBytes)) {
      const flat = await flatten(bucket);
      await group.allReduce(flat, 'mean');
      let off = 0;
      for (const t of bucket) {
        out.push(tf.tensor(flat.subarray(off, off + t.size), t.shape, 'float32'));
        off += t.size;
      }
    }
  } catch (e) {
    for (const t of out) t.dispose();
    throw e;
  }
  return out;
}

/** Averages variables in place over ranks (buffers: batch-norm statistics). */
export async function allReduceMeanVariables(group: ProcessGroup, variables: tf.Variable[]): Promise<void> {
  const floats = variables.filter((v) => v.dtype === 'float32');
  const means = await allReduceMeanTensors(group, floats);
  floats.forEach((v, i) => {
    v.assign(means[i]);
    means[i].dispose();
  });
}

/** Sets every rank's variables to rank `root`'s (DDP's start: the same model everywhere). */
export async function broadcastVariables(group: ProcessGroup, variables: tf.Variable[], root = 0, capBytes = 25 * 2 ** 20): Promise<void> {
  const floats = variables.filter((v) => v.dtype === 'float32');
  for (const bucket of bucketize(floats, capBytes)) {
    const flat = await flatten(bucket);
    await group.broadcast(flat, root);
    let off = 0;
    for (const v of bucket) {
      const t = tf.tensor(flat.subarray(off, off + v.size), v.shape, 'float32');
      v.assign(t);
      t.dispose();
      off += v.size;
    }
  }
}

/** Every rank's value, in rank order (structured-clone encoding: numbers, Infinity, typed arrays). */
export async function allGatherObjects<T>(group: ProcessGroup, value: T): Promise<T[]> {
  const bytes = new Uint8Array(v8.serialize(value));
  const lengths = new Int32Array(group.worldSize);
  await group.allGather(Int32Array.of(bytes.length), lengths);
  const max = Math.max(...lengths);
  const padded = new Uint8Array(max);
  padded.set(bytes);
  const all = new Uint8Array(max * group.worldSize);
  await group.allGather(padded, all);
  return Array.from(lengths, (n, r) => v8.deserialize(all.subarray(r * max, r * max + n)) as T);
}

/** Rank `root`'s value on every rank. */
export async function broadcastObject<T>(group: ProcessGroup, value: T, root = 0): Promise<T> {
  const all = await allGatherObjects(group, group.rank === root ? value : null);
  return all[root] as T;
}

/**
 * All ranks' metric results in dataset order (MMEngine's collect_results): the samplers deal
 * index i to rank i % worldSize, so the parts interleave; padding beyond `size` is dropped.
 */
export async function collectResults<R>(group: ProcessGroup, results: R[], size: number): Promise<R[]> {
  const parts = await allGatherObjects(group, results);
  const ordered: R[] = [];
  const longest = Math.max(...parts.map((p) => p.length));
  for (let i = 0; i < longest; i++) for (const p of parts) if (i < p.length) ordered.push(p[i]);
  return ordered.slice(0, size);
}
