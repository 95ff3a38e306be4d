import type * as tf from '@tensorflow/tfjs';

/** Element types of the safetensors layout (the ones this reader knows). */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

export const DTYPE_BYTES: Readonly<Record<SafetensorsDtype, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

export function isSafetensorsDtype(d: unknown): d is SafetensorsDtype {
  return typeof d === 'string' && Object.hasOwn(DTYPE_BYTES, d);
}

/** The safetensors dtype a tfjs dtype is stored as (tfjs keeps bools as one byte each). */
export const FROM_TFJS: Readonly<Partial<Record<tf.DataType, SafetensorsDtype>>> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };

type NumericArray = Float32Array | Int32Array | Uint8Array;

/**
 * Values for a tfjs tensor from raw little-endian bytes. Aligned F32/I32/BOOL data is viewed in
 * place (no copy); everything else is converted to the closest tfjs dtype, as other frameworks
 * save float16, float64 or int64 weights.
 */
export function tfjsValues(dtype: SafetensorsDtype, bytes: Uint8Array): { values: NumericArray; dtype: 'float32' | 'int32' | 'bool' } {
  const n = bytes.byteLength / DTYPE_BYTES[dtype];
  switch (dtype) {
    case 'F32':
      return { values: view(Float32Array, bytes, n), dtype: 'float32' };
    case 'I32':
      return { values: view(Int32Array, bytes, n), dtype: 'int32' };
    case 'BOOL':
      return { values: bytes, dtype: 'bool' };
    case 'F64':
      return { values: Float32Array.from(view(Float64Array, bytes, n)), dtype: 'float32' };
    case 'F16':
      return { values: Float32Array.from(view(Uint16Array, bytes, n), halfToFloat), dtype: 'float32' };
    case 'BF16':
      return { values: Float32Array.from(view(Uint16Array, bytes, n), bfloat16ToFloat), dtype: 'float32' };
    case 'I64':
      return { values: Int32Array.from(view(BigInt64Array, bytes, n), Number), dtype: 'int32' };
    case 'U64':
      return { values: Int32Array.from(view(BigUint64Array, bytes, n), Number), dtype: 'int32' };
    case 'I16':
      return { values: Int32Array.from(view(Int16Array, bytes, n)), dtype: 'int32' };
    case 'U16':
      return { values: Int32Array.from(view(Uint16Array, bytes, n)), dtype: 'int32' };
    case 'U32':
      return { values: Int32Array.from(view(Uint32Array, bytes, n)), dtype: 'int32' };
    case 'I8':
      return { values: Int32Array.from(view(Int8Array, bytes, n)), dtype: 'int32' };
    case 'U8':
      return { values: Int32Array.from(bytes), dtype: 'int32' };
  }
}

interface TypedArrayConstructor<T> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  new (length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** A typed view of `bytes`, copied first only when its offset is not aligned for the type. */
export function view<T>(Type: TypedArrayConstructor<T>, bytes: Uint8Array, length: number): T {
  if (bytes.byteOffset % Type.BYTES_PER_ELEMENT === 0) return new Type(bytes.buffer, bytes.byteOffset, length);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Type(copy.buffer, 0, length);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const bf16Scratch = new DataView(new ArrayBuffer(4));
function bfloat16ToFloat(b: number): number {
  bf16Scratch.setUint32(0, b << 16);
  return bf16Scratch.getFloat32(0);
}
