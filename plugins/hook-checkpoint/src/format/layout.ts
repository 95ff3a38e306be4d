import * as zlib from 'node:zlib';
import { DTYPE_BYTES } from './dtypes.js';
import { flattenState } from './state-tree.js';

/** Version of the trainkit metadata inside the safetensors header; readers refuse newer ones. */
export const FORMAT_VERSION = 1;

/** Keys of the header's `__metadata__` (safetensors allows only string values there). */
export const META_VERSION = 'trainkit.format_version';
export const META_CHECKSUM = 'trainkit.checksum';
export const META_STATE = 'trainkit.state';
const CHECKSUM_PREFIX = 'crc32:';
const CHECKSUM_PLACEHOLDER = '00000000';

/** A checkpoint laid out as a safetensors file, before it is written. */
export interface EncodedCheckpoint {
  /** The 8-byte header length, then the JSON header padded with spaces to a multiple of 8. */
  header: Buffer;
  /** Tensor data in file order (views of the snapshotted tensor buffers, not copies). */
  chunks: Uint8Array[];
  dataBytes: number;
  /** The state JSON exactly as stored; the checksum covers the data, then these bytes. */
  stateBytes: Buffer;
  /** Where in `header` the 8 hex digits of the checksum go once it is known. */
  checksumAt: number;
}

/**
 * Lays a checkpoint out in the safetensors format: tensors in the data section, everything
 * else as one JSON string in `__metadata__`. The checksum slot is left as a placeholder of fixed
 * width so the data can be written while the checksum is still being computed.
 */
export async function encodeCheckpoint(checkpoint: Record<string, unknown>): Promise<EncodedCheckpoint> {
  const { state, blobs } = await flattenState(checkpoint);
  // Widest elements first: with the data section starting 8-aligned, every tensor then starts
  // aligned for its type while the section stays gap-free, as the layout requires.
  const ordered = blobs.map((b, i) => ({ b, i })).sort((x, y) => DTYPE_BYTES[y.b.dtype] - DTYPE_BYTES[x.b.dtype] || x.i - y.i);
  const stateJson = JSON.stringify(state);
  const header: Record<string, unknown> = {
    __metadata__: { [META_VERSION]: String(FORMAT_VERSION), [META_CHECKSUM]: CHECKSUM_PREFIX + CHECKSUM_PLACEHOLDER, [META_STATE]: stateJson },
  };
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const { b } of ordered) {
    header[b.name] = { dtype: b.dtype, shape: b.shape, data_offsets: [offset, offset + b.bytes.byteLength] };
    offset += b.bytes.byteLength;
    chunks.push(b.bytes);
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil(json.length / 8) * 8;
  const buf = Buffer.alloc(8 + padded, 0x20);
  buf.writeBigUInt64LE(BigInt(padded), 0);
  json.copy(buf, 8);
  // quotes inside names and the state string are escaped, so this exact text occurs once
  const marker = Buffer.from(`"${META_CHECKSUM}":"${CHECKSUM_PREFIX}`);
  const checksumAt = buf.indexOf(marker) + marker.length;
  return { header: buf, chunks, dataBytes: offset, stateBytes: Buffer.from(stateJson, 'utf8'), checksumAt };
}

/** CRC-32 of the tensor data (zlib's, several GB/s). */
export function dataChecksum(chunks: readonly Uint8Array[]): number {
  let crc = 0;
  for (const c of chunks) crc = zlib.crc32(c, crc);
  return crc;
}

/** The stored checksum: the data's CRC-32 continued over the state JSON. */
export function fullChecksum(dataCrc: number, stateBytes: Uint8Array): number {
  return zlib.crc32(stateBytes, dataCrc);
}

export function formatChecksum(crc: number): string {
  return CHECKSUM_PREFIX + (crc >>> 0).toString(16).padStart(8, '0');
}

/** Writes the checksum into the header's placeholder; returns the bytes that changed. */
export function sealChecksum(enc: EncodedCheckpoint, crc: number): Buffer {
  enc.header.write(formatChecksum(crc).slice(CHECKSUM_PREFIX.length), enc.checksumAt, 'latin1');
  return enc.header.subarray(enc.checksumAt, enc.checksumAt + CHECKSUM_PLACEHOLDER.length);
}

/** Parses `crc32:xxxxxxxx`; undefined for anything else. */
export function parseChecksum(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^crc32:[0-9a-f]{8}$/.test(text)) return undefined;
  return Number.parseInt(text.slice(CHECKSUM_PREFIX.length), 16);
}
