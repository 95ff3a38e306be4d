import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '@trainkit/core';
import { DTYPE_BYTES, FROM_TFJS, type SafetensorsDtype, tfjsValues, view } from './dtypes.js';

/**
 * A checkpoint is a tree of plain values with tensors at some leaves. In a file the tensors go
 * to the safetensors data section and the rest becomes JSON in which each tensor is a reference
 * by name. Values JSON cannot hold exactly travel as markers: non-finite numbers, typed arrays
 * and long number arrays (message hub histories; stored as binary so the header stays small).
 */
export const TENSOR_REF = '__trainkit_tensor__';
const ARRAY_REF = '__trainkit_array__';
const NUMBER = '__trainkit_number__';

/** Number arrays at least this long are stored as F64 data instead of JSON text. */
const LONG_ARRAY = 256;

/** One tensor of the data section, as bytes ready to write. */
export interface Blob {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  bytes: Uint8Array;
}

const TYPED_ARRAYS = {
  Float64Array: 'F64',
  Float32Array: 'F32',
  Int32Array: 'I32',
  Uint32Array: 'U32',
  Int16Array: 'I16',
  Uint16Array: 'U16',
  Int8Array: 'I8',
  Uint8Array: 'U8',
} as const satisfies Record<string, SafetensorsDtype>;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type TypedArrayType = new (buffer: ArrayBufferLike, offset: number, length: number) => ArrayBufferView;
const TYPED_CONSTRUCTORS: Record<TypedArrayName, TypedArrayType> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
};

function isTensor(v: unknown): v is tf.Tensor {
  return v instanceof tf.Tensor;
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Splits a checkpoint into JSON-safe state and the tensor data. Every tensor read starts before
 * the first await: `data()` copies out of wasm memory or queues the GPU copy at once and, on the
 * cpu backend, gives the tensor's own buffer, which TensorFlow.js never changes in place
 * (assigning a variable swaps its buffer). So the blobs are a snapshot without an extra copy,
 * and training may change the weights as soon as this returns its promise. Asynchronous reads
 * work on every backend (WebGPU has no synchronous one in Node).
 */
export async function flattenState(checkpoint: Record<string, unknown>): Promise<{ state: unknown; blobs: Blob[] }> {
  const blobs: Blob[] = [];
  const reads: Array<Promise<void>> = [];
  const names = new Set<string>();
  const seen = new Map<tf.Tensor, string>();
  const uniqueName = (wanted: string) => {
    let name = wanted;
    for (let i = 1; names.has(name) || name === '__metadata__'; i++) name = `${wanted}#${i}`;
    names.add(name);
    return name;
  };

  const walk = (value: unknown, where: string[]): unknown => {
    if (isTensor(value)) {
      // safetensors has no strings: the rare string tensor stays in the JSON
      if (value.dtype === 'string') return { [TENSOR_REF]: null, dtype: 'string', shape: value.shape, values: value.dataSync() as unknown as string[] };
      const known = seen.get(value);
      if (known) return { [TENSOR_REF]: known };
      // model weights keep their plain names so Python users find them as they are in the model
      const name = uniqueName(where[0] === 'state_dict' && where.length === 2 ? where[1] : where.join('/'));
      seen.set(value, name);
      const blob = tensorBlob(value, name, where);
      blobs.push(blob.blob);
      reads.push(blob.read);
      return { [TENSOR_REF]: name };
    }
    if (typeof value === 'number') return Number.isFinite(value) ? value : { [NUMBER]: String(value) };
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'bigint') return { [NUMBER]: value.toString() };
      return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
    }
    if (ArrayBuffer.isView(value)) return typedArrayRef(value, where);
    if (Array.isArray(value)) {
      if (value.length >= LONG_ARRAY && value.every((x) => typeof x === 'number')) {
        const name = uniqueName(where.join('/'));
        const data = Float64Array.from(value as number[]);
        blobs.push({ name, dtype: 'F64', shape: [data.length], bytes: bytesOf(data) });
        return { [ARRAY_REF]: name, type: 'Array' };
      }
      return value.map((v, i) => walk(v, [...where, String(i)]) ?? null);
    }
    if (value instanceof Map || value instanceof Set) {
      throw new CheckpointError(
        `cannot store ${value.constructor.name} at "${where.join('.')}" in a checkpoint: convert it to a plain object or array in stateDict()`,
      );
    }
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return walk((value as { toJSON(): unknown }).toJSON(), where);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const w = walk(v, [...where, k]);
      if (w !== undefined) out[k] = w;
    }
    return out;
  };

  const typedArrayRef = (value: ArrayBufferView, where: string[]) => {
    const type = value.constructor.name as TypedArrayName;
    const dtype = TYPED_ARRAYS[type];
    if (!dtype) throw new CheckpointError(`cannot store ${value.constructor.name} at "${where.join('.')}" in a checkpoint`);
    const name = uniqueName(where.join('/'));
    blobs.push({ name, dtype, shape: [value.byteLength / DTYPE_BYTES[dtype]], bytes: bytesOf(value) });
    return { [ARRAY_REF]: name, type };
  };

  const state = walk(checkpoint, []);
  await Promise.all(reads);
  return { state, blobs };
}

/** The tensor's blob, whose bytes arrive when `read` resolves (the read starts here). */
function tensorBlob(t: tf.Tensor, name: string, where: string[]): { blob: Blob; read: Promise<void> } {
  const dtype = FROM_TFJS[t.dtype];
  if (!dtype) throw new CheckpointError(`cannot store the ${t.dtype} tensor at "${where.join('.')}": the safetensors layout has no ${t.dtype} type`);
  const blob: Blob = { name, dtype, shape: [...t.shape], bytes: new Uint8Array(0) };
  const fail = (e: unknown) => new CheckpointError(`cannot read the tensor at "${where.join('.')}" for a checkpoint: ${(e as Error).message}`);
  let pending: Promise<tf.TypedArray>;
  try {
    pending = t.data() as Promise<tf.TypedArray>;
  } catch (e) {
    return { blob, read: Promise.reject(fail(e)) };
  }
  const size = t.size;
  const expected = t.dtype === 'float32' ? Float32Array : t.dtype === 'int32' ? Int32Array : Uint8Array;
  const read = pending.then(
    (values) => {
      const exact = values instanceof expected && values.length === size;
      blob.bytes = bytesOf(exact ? values : expected.from(values as unknown as ArrayLike<number>).subarray(0, size));
    },
    (e) => {
      throw fail(e);
    },
  );
  return { blob, read };
}

/** Keys that would reach a prototype if a loaded tree assigned them: a crafted file is refused. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Rebuilds the checkpoint tree, creating tensors for references (the caller disposes them).
 * Anything wrong in the tree is a CheckpointError, and then no tensor made so far stays alive.
 */
export function unflattenState(state: unknown, blobs: ReadonlyMap<string, { dtype: SafetensorsDtype; shape: number[]; bytes: Uint8Array }>): unknown {
  const made = new Map<string, tf.Tensor>();
  try {
    return rebuild(state, blobs, made);
  } catch (e) {
    for (const t of made.values()) t.dispose();
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(`the checkpoint state is malformed: ${(e as Error)?.message ?? String(e)}`);
  }
}

function rebuild(
  state: unknown,
  blobs: ReadonlyMap<string, { dtype: SafetensorsDtype; shape: number[]; bytes: Uint8Array }>,
  made: Map<string, tf.Tensor>,
): unknown {
  const blob = (name: unknown) => {
    const b = typeof name === 'string' ? blobs.get(name) : undefined;
    if (!b) throw new CheckpointError(`the checkpoint state refers to tensor "${String(name)}", which the file does not hold`);
    return b;
  };
  const walk = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(walk);
    const v = value as Record<string, unknown>;
    for (const k of Object.keys(v)) {
      if (PROTOTYPE_KEYS.has(k))
        throw new CheckpointError(`the checkpoint state holds a "${k}" key, which no checkpoint trainkit writes has: the file was crafted or damaged`);
    }
    if (Object.hasOwn(v, TENSOR_REF)) {
      if (v.dtype === 'string') {
        const t = tf.tensor(v.values as string[], v.shape as number[], 'string');
        made.set(`\0string${made.size}`, t);
        return t;
      }
      const name = v[TENSOR_REF] as string;
      let t = made.get(name);
      if (!t) {
        const b = blob(name);
        const { values, dtype } = tfjsValues(b.dtype, b.bytes);
        t = tf.tensor(values, b.shape, dtype);
        made.set(name, t);
      }
      return t;
    }
    if (Object.hasOwn(v, ARRAY_REF)) {
      const b = blob(v[ARRAY_REF]);
      if (b.shape.length !== 1) throw new CheckpointError(`the checkpoint array "${String(v[ARRAY_REF])}" is not one-dimensional`);
      if (v.type === 'Array') {
        if (b.dtype !== 'F64') throw new CheckpointError(`the checkpoint array "${String(v[ARRAY_REF])}" is ${b.dtype}, not F64`);
        return Array.from(view(Float64Array, b.bytes, b.shape[0]));
      }
      const known = typeof v.type === 'string' && Object.hasOwn(TYPED_CONSTRUCTORS, v.type);
      const Type = known ? TYPED_CONSTRUCTORS[v.type as TypedArrayName] : undefined;
      if (!Type || TYPED_ARRAYS[v.type as TypedArrayName] !== b.dtype)
        throw new CheckpointError(`the checkpoint state holds an array of unknown type "${String(v.type)}"`);
      return new Type(b.bytes.slice().buffer, 0, b.shape[0]);
    }
    if (Object.hasOwn(v, NUMBER) && Object.keys(v).length === 1) {
      const s = v[NUMBER];
      if (typeof s !== 'string' || !/^(NaN|-?Infinity|-?\d{1,400})$/.test(s))
        throw new CheckpointError(`the checkpoint state holds a bad number ${JSON.stringify(s)}`);
      return s === 'NaN' || s === 'Infinity' || s === '-Infinity' ? Number(s) : BigInt(s);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    return out;
  };
  return walk(state);
}
