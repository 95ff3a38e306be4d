import * as zlib from 'node:zlib';

/** 8-bit pixels, row-major, channels last: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
export interface ImagePixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** PNG colour type by channel count (greyscale, greyscale+alpha, truecolour, truecolour+alpha). */
const PNG_COLOR_TYPE = [0, 0, 4, 2, 6];

/** Throws when the buffer does not hold exactly width x height x channels bytes. */
export function checkPixels(image: ImagePixels, what = 'image'): void {
  const { width, height, channels, data } = image;
  const sizeOk = Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && width < 2 ** 31 && height < 2 ** 31;
  if (!sizeOk || ![1, 2, 3, 4].includes(channels) || data?.length !== width * height * channels) {
    throw new RangeError(
      `${what}: expected positive integer width/height, 1-4 channels and width*height*channels bytes; got ${width}x${height}x${channels} with ${data?.length} bytes`,
    );
  }
}

function pngChunk(type: string, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(payload.length + 12);
  out.writeUInt32BE(payload.length, 0);
  out.write(type, 4, 'latin1');
  out.set(payload, 8);
  // the chunk CRC is CRC-32/IEEE over type and payload; zlib has it natively (Node >= 20.15)
  out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + payload.length)), 8 + payload.length);
  return out;
}

/**
 * PNG-encodes 8-bit pixels of any size. Rows use filter type 0 (none): image summaries are
 * written off the hot path and deflate alone gets most of the gain on typical visualizations.
 */
export function encodePng(image: ImagePixels): Buffer {
  checkPixels(image, 'encodePng');
  const { width, height, channels, data } = image;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = PNG_COLOR_TYPE[channels];
  // bytes 10-12: deflate compression, adaptive filtering, no interlace (all zero)
  const rowBytes = width * channels;
  const filtered = Buffer.allocUnsafe((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    const at = y * (rowBytes + 1);
    filtered[at] = 0;
    filtered.set(data.subarray(y * rowBytes, (y + 1) * rowBytes), at + 1);
  }
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', zlib.deflateSync(filtered)), pngChunk('IEND', new Uint8Array(0))]);
}
