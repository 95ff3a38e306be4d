/** Protobuf wire types (the low three bits of a field key). */
export const WIRE = { VARINT: 0, FIXED64: 1, LEN: 2, FIXED32: 5 } as const;

/** Bytes a non-negative integer takes as a varint. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Malformed protobuf input: truncated, over-long varints, unknown wire types. */
export class ProtoDecodeError extends Error {
  override name = 'ProtoDecodeError';
}

/** Writes a non-negative integer as a varint at `at`; returns the position after it. */
export function putVarint(buf: Uint8Array, at: number, v: number): number {
  while (v > 0x7f) {
    buf[at++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[at++] = v;
  return at;
}
