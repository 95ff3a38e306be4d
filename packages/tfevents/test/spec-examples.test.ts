import { describe, expect, it } from 'vitest';
import { SessionStatus, crc32c, decodeEventFile, encodeEvent, frameRecord, maskCrc, maskedCrc32c, scalarValue, textValue, unmaskCrc } from '../src/index.js';
import { appendScalarEvent, scalarTag } from '../src/scalar-encoder.js';
import { ProtoWriter } from '@trainkit/codecs';

/** The byte-level examples of the format spec (tfevents-format.md section 4), verbatim. */

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const WALL = 1700000000.0;

const EXAMPLE_1_EVENT = '09 00 00 00 40 fc 54 d9 41 1a 0d 62 72 61 69 6e 2e 45 76 65 6e 74 3a 32';
const EXAMPLE_2_EVENT = '09 00 00 00 40 fc 54 d9 41 10 0a 2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 00 3f';
const EXAMPLE_3_EVENT =
  '09 00 00 00 40 fc 54 d9 41 10 0a 2a 21 0a 1f 0a 04 6c 6f 73 73 42 0a 08 01 12 00 2a 04 00 00 00 3f 4a 0b 0a 09 0a 07 73 63 61 6c 61 72 73';
const TEXT_EVENT = '09 00 00 00 40 fc 54 d9 41 10 01 2a 20 0a 1e 0a 05 6e 6f 74 65 73 42 0b 08 07 12 00 42 05 68 65 6c 6c 6f 4a 08 0a 06 0a 04 74 65 78 74';
const TWO_RECORD_FILE =
  '1800000000000000a37f4b220900000040fc54d9411a0d627261696e2e4576656e743a32eced8f9d' +
  '1a00000000000000129bd82d0900000040fc54d941100a2a0d0a0b0a046c6f7373150000003f67dc85ab';

describe('CRC32C and its mask (spec section 2)', () => {
  it('has the standard check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('masks like the Rust data server test vector', () => {
    expect(maskedCrc32c(hex('1a 11'))).toBe(maskCrc(crc32c(hex('1a 11'))));
    const data = Uint8Array.from([0x1a, 0x11, ...new TextEncoder().encode('CRC test, one two')]);
    expect(maskedCrc32c(data)).toBe(0x5794d08a);
    expect(unmaskCrc(0x5794d08a)).toBe(crc32c(data));
  });

  it('gives the same CRC from the JS table and the native path at every size', () => {
    const buf = new Uint8Array(4096).map((_, i) => (i * 131 + 7) & 0xff);
    // sizes around the switch between the two implementations
    for (const n of [0, 1, 8, 95, 96, 97, 500, 4096]) {
      let c = -1;
      for (let i = 0; i < n; i++) {
        c ^= buf[i];
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      expect(crc32c(buf, 0, n)).toBe((c ^ -1) >>> 0);
    }
  });
});

describe('worked examples (spec section 4)', () => {
  it('example 1: the version record', () => {
    const event = encodeEvent({ wallTime: WALL, step: 0, fileVersion: 'brain.Event:2' });
    expect(toHex(event)).toBe(toHex(hex(EXAMPLE_1_EVENT)));
    const record = frameRecord(event);
    expect(record.length).toBe(40);
    expect(toHex(record.subarray(0, 12))).toBe('1800000000000000a37f4b22');
    expect(crc32c(record, 0, 8)).toBe(0x4a65bfe4);
    expect(crc32c(event)).toBe(0x818a7d86);
    expect(toHex(record.subarray(36))).toBe('eced8f9d');
  });

  it('example 2: a simple_value scalar, from the generic and the fast encoder', () => {
    const event = encodeEvent({ wallTime: WALL, step: 10, summary: { value: [scalarValue('loss', 0.5)] } });
    expect(toHex(event)).toBe(toHex(hex(EXAMPLE_2_EVENT)));
    const record = frameRecord(event);
    expect(toHex(record)).toBe(`1a00000000000000129bd82d${toHex(event)}67dc85ab`);
    expect(toHex(fastScalarRecord('loss', 0.5, 10, 'simple_value'))).toBe(toHex(record));
  });

  it('example 3: a tensor scalar with scalars plugin metadata, from both encoders', () => {
    const event = encodeEvent({ wallTime: WALL, step: 10, summary: { value: [scalarValue('loss', 0.5, 'tensor')] } });
    expect(toHex(event)).toBe(toHex(hex(EXAMPLE_3_EVENT)));
    const record = frameRecord(event);
    expect(toHex(record.subarray(0, 12))).toBe('2e00000000000000c5cb57fa');
    expect(toHex(record.subarray(record.length - 4))).toBe('545d09b4');
    expect(toHex(fastScalarRecord('loss', 0.5, 10, 'tensor'))).toBe(toHex(record));
  });

  it('bonus: text "hello" at step 1', () => {
    const event = encodeEvent({ wallTime: WALL, step: 1, summary: { value: [textValue('notes', 'hello')] } });
    expect(toHex(event)).toBe(toHex(hex(TEXT_EVENT)));
    const record = frameRecord(event);
    const view = new DataView(record.buffer);
    // the spec gives the two CRCs of this record as stored, i.e. masked
    expect(view.getUint32(8, true)).toBe(0xfb8a413c);
    expect(view.getUint32(record.length - 4, true)).toBe(0x2c5bd4f0);
  });

  it('the complete two-record file reads back (82 bytes)', () => {
    const bytes = hex(TWO_RECORD_FILE);
    expect(bytes.length).toBe(82);
    const written = Buffer.concat([
      frameRecord(encodeEvent({ wallTime: WALL, step: 0, fileVersion: 'brain.Event:2' })),
      frameRecord(encodeEvent({ wallTime: WALL, step: 10, summary: { value: [scalarValue('loss', 0.5)] } })),
    ]);
    expect(toHex(written)).toBe(TWO_RECORD_FILE);
    const { events, truncated } = decodeEventFile(bytes);
    expect(truncated).toBeUndefined();
    expect(events).toEqual([
      { wallTime: WALL, step: 0, fileVersion: 'brain.Event:2' },
      { wallTime: WALL, step: 10, summary: { value: [{ tag: 'loss', simpleValue: 0.5 }] } },
    ]);
  });

  it('encodes a negative int64 step as a 10-byte varint and leaves step 0 out', () => {
    const w = new ProtoWriter();
    w.int64(2, -1);
    expect(toHex(w.finish())).toBe('10ffffffffffffffffff01');
    expect(toHex(encodeEvent({ wallTime: 0, step: 0, sessionLog: { status: SessionStatus.START } }))).toBe('3a020801');
    const neg = encodeEvent({ wallTime: WALL, step: -5, summary: { value: [scalarValue('x', 1)] } });
    expect(toHex(fastScalarRecord('x', 1, -5, 'simple_value'))).toBe(toHex(frameRecord(neg)));
    expect(decodeEventFile(frameRecord(neg)).events[0].step).toBe(-5);
  });
});

/** A scalar record as the writer's fast path encodes it, captured through a stub file. */
function fastScalarRecord(tag: string, value: number, step: number, form: 'simple_value' | 'tensor'): Uint8Array {
  const buf = new Uint8Array(256);
  const view = new DataView(buf.buffer);
  let len = 0;
  const stub = {
    buffer: buf,
    bufferView: view,
    reserveRecord: () => 12,
    commitRecord(dataLen: number) {
      len = dataLen + 16;
      // same framing code the writer uses
      buf.set(frameRecord(buf.slice(12, 12 + dataLen)));
    },
  };
  appendScalarEvent(stub as never, [scalarTag(tag)], [value], step, WALL, form);
  return buf.slice(0, len);
}
