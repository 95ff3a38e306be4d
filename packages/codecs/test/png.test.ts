import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkPixels, encodePng } from '../src/index.js';

/** The chunks of a PNG file, each CRC checked. */
function chunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const out: Array<{ type: string; data: Buffer }> = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    expect(png.readUInt32BE(at + 8 + len)).toBe(zlib.crc32(png.subarray(at + 4, at + 8 + len)));
    out.push({ type, data });
    at += 12 + len;
  }
  return out;
}

describe('encodePng', () => {
  it.each([1, 2, 3, 4] as const)('encodes %i-channel pixels losslessly (IHDR, filter-0 rows, IEND)', (channels) => {
    const width = 3;
    const height = 2;
    const data = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 37) % 256);
    const parts = chunks(encodePng({ data, width, height, channels }));
    expect(parts.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = parts[0].data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([width, height, 8, [0, 0, 4, 2, 6][channels]]);
    const raw = zlib.inflateSync(parts[1].data);
    const stride = width * channels;
    for (let y = 0; y < height; y++) {
      expect(raw[y * (stride + 1)]).toBe(0);
      expect([...raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))]).toEqual([...data.subarray(y * stride, (y + 1) * stride)]);
    }
  });

  it('refuses a buffer that does not match the declared size', () => {
    expect(() => encodePng({ data: new Uint8Array(5), width: 2, height: 1, channels: 3 })).toThrow(/encodePng: expected .* got 2x1x3 with 5 bytes/);
    expect(() => checkPixels({ data: new Uint8Array(0), width: 0, height: 0, channels: 1 }, 'thumb')).toThrow(/^thumb: /);
  });
});
