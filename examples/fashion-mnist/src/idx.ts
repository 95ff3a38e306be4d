import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { TrainkitError } from '@trainkit/core';

/** An IDX array (the MNIST file format): unsigned bytes with a shape. */
export interface IdxArray {
  data: Uint8Array;
  shape: number[];
}

/** Reads an IDX file of unsigned bytes (gzipped or not). */
export function readIdx(file: string): IdxArray {
  let raw = fs.readFileSync(file);
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = zlib.gunzipSync(raw);
  if (raw[0] !== 0 || raw[1] !== 0 || raw[2] !== 0x08) {
    throw new TrainkitError(`${file} is not an IDX file of unsigned bytes (magic ${raw.subarray(0, 4).toString('hex')})`);
  }
  const dims = raw[3];
  const shape = Array.from({ length: dims }, (_, i) => raw.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * dims;
  const size = shape.reduce((a, b) => a * b, 1);
  if (raw.length < offset + size) throw new TrainkitError(`${file} is truncated: expected ${size} bytes of data, found ${raw.length - offset}`);
  return { data: new Uint8Array(raw.buffer, raw.byteOffset + offset, size), shape };
}
