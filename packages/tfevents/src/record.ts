import { maskedCrc32c } from './crc32c.js';

/**
 * TFRecord framing: `u64 length | u32 masked crc32c(length bytes) | data | u32 masked crc32c(data)`,
 * little-endian, records back to back with no file header.
 */

export const RECORD_HEADER_BYTES = 12;
export const RECORD_FOOTER_BYTES = 4;
export const RECORD_OVERHEAD_BYTES = RECORD_HEADER_BYTES + RECORD_FOOTER_BYTES;

/**
 * Writes the header and footer around `dataLen` bytes of data already placed at
 * `buf[at + 12, at + 12 + dataLen)`. Lets writers encode straight into their output buffer.
 */
export function frameInPlace(buf: Uint8Array, view: DataView, at: number, dataLen: number): void {
  view.setUint32(at, dataLen >>> 0, true);
  // lengths of 4 GiB and more cannot come from one JS buffer; the high word is kept for form
  view.setUint32(at + 4, Math.floor(dataLen / 0x1_0000_0000), true);
  view.setUint32(at + 8, maskedCrc32c(buf, at, at + 8), true);
  const dataStart = at + RECORD_HEADER_BYTES;
  view.setUint32(dataStart + dataLen, maskedCrc32c(buf, dataStart, dataStart + dataLen), true);
}

/** One framed record holding `data`. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + RECORD_OVERHEAD_BYTES);
  out.set(data, RECORD_HEADER_BYTES);
  frameInPlace(out, new DataView(out.buffer), 0, data.length);
  return out;
}
