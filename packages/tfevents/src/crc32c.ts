import { createRequire } from 'node:module';

/**
 * CRC-32C (Castagnoli) as TFRecord framing needs it, masked the way TensorFlow masks it.
 *
 * Two implementations, chosen per call by size: a byte-wise table in plain JS for small inputs
 * (the 8-byte length field and a scalar event are 8-60 bytes, where a native call costs more than
 * the whole computation: ~120 ns of call overhead against ~2 ns per byte here) and the hardware
 * CRC32C of `@node-rs/crc32` for anything larger (images, histograms). When the native module has
 * no prebuilt binary for the platform, the table version serves every size.
 */

type NativeCrc = (input: Uint8Array, initial?: number) => number;

function loadNative(): NativeCrc | undefined {
  try {
    const mod = createRequire(import.meta.url)('@node-rs/crc32') as { crc32c?: NativeCrc };
    // guard against a binary that loads but computes something else
    if (mod.crc32c && mod.crc32c(new TextEncoder().encode('123456789')) === 0xe3069283) return mod.crc32c;
  } catch {
    // no binary for this platform: the table version below is exact, only slower on big inputs
  }
  return undefined;
}

const native = loadNative();

/** Byte length from which the native implementation is faster than the JS table (measured). */
const NATIVE_FROM = 96;

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function tableCrc(buf: Uint8Array, start: number, end: number): number {
  let c = -1;
  for (let i = start; i < end; i++) c = TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** CRC-32C of `buf[start, end)`, unsigned. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  if (native && end - start >= NATIVE_FROM) return native(start === 0 && end === buf.length ? buf : buf.subarray(start, end)) >>> 0;
  return tableCrc(buf, start, end);
}

const MASK_DELTA = 0xa282ead8;

/** TensorFlow's mask: rotate right by 15 bits, then add a constant (all mod 2^32). */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}

/** Masked CRC-32C of `buf[start, end)`, as stored in TFRecord framing. */
export function maskedCrc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  return maskCrc(crc32c(buf, start, end));
}

/** Whether the hardware CRC32C of `@node-rs/crc32` is in use (for the bench and diagnostics). */
export const nativeCrc32cAvailable = native !== undefined;
