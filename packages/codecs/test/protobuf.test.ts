import { describe, expect, it } from 'vitest';
import { ProtoDecodeError, ProtoReader, ProtoWriter, WIRE, putVarint, varintSize } from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('the protobuf wire codec', () => {
  it('writes the bytes of the protobuf encoding guide', () => {
    // field 1 = 150 and field 2 = "testing", the guide's own examples
    expect(hex(new ProtoWriter().uint(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    // a negative int64 is ten bytes of two's complement
    expect(hex(new ProtoWriter().int64(1, -1).finish())).toBe('08ffffffffffffffffff01');
    // packed repeated varints: field 4 = [3, 270, 86942]
    expect(hex(new ProtoWriter().packedVarints(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
  });

  it('round-trips every field type, nested messages of any size included', () => {
    const big = 'é'.repeat(20_000); // 40,000 UTF-8 bytes: a three-byte length prefix moved in place
    const w = new ProtoWriter(8);
    w.uint(1, 2 ** 40)
      .int64(2, -5)
      .bool(3, true)
      .double(4, Math.PI)
      .float(5, 0.5)
      .bytes(6, Uint8Array.of(0, 255, 7))
      .string(7, 'naïve ✓')
      .packedDoubles(8, [1.5, -2])
      .packedFloats(9, [0.25])
      .packedVarints(10, [1, -1, 300])
      .message(11, (m) => m.string(1, big).message(2, (inner) => inner.uint(1, 9)))
      .message(12, () => {})
      .uint(99, 123); // a field the reader does not know

    const r = new ProtoReader(w.finish());
    const seen: Record<number, unknown> = {};
    while (r.next()) {
      switch (r.field) {
        case 1:
          seen[1] = r.varint();
          break;
        case 2:
          seen[2] = r.int64();
          break;
        case 3:
          seen[3] = r.bool();
          break;
        case 4:
          seen[4] = r.double();
          break;
        case 5:
          seen[5] = r.float();
          break;
        case 6:
          seen[6] = [...r.bytes()];
          break;
        case 7:
          seen[7] = r.string();
          break;
        case 8: {
          const d: number[] = [];
          r.doubles(d);
          seen[8] = d;
          break;
        }
        case 9: {
          const f: number[] = [];
          r.floats(f);
          seen[9] = f;
          break;
        }
        case 10: {
          const v: number[] = [];
          r.int64s(v);
          seen[10] = v;
          break;
        }
        case 11: {
          const m = r.message();
          const nested: unknown[] = [];
          while (m.next()) {
            if (m.field === 1) nested.push(m.string());
            else if (m.field === 2) {
              const inner = m.message();
              inner.next();
              nested.push(inner.varint());
            }
          }
          seen[11] = nested;
          break;
        }
        case 12:
          seen[12] = r.message().end - r.pos;
          break;
        default:
          expect(r.wire).toBe(WIRE.VARINT);
          r.skip();
      }
    }
    expect(seen).toEqual({
      1: 2 ** 40,
      2: -5,
      3: true,
      4: Math.PI,
      5: 0.5,
      6: [0, 255, 7],
      7: 'naïve ✓',
      8: [1.5, -2],
      9: [0.25],
      10: [1, -1, 300],
      11: [big, 9],
      12: 0,
    });
  });

  it('proto3 implicit presence: ...IfSet writes nothing for a default value', () => {
    const w = new ProtoWriter();
    w.varintIfSet(1, 0).varintIfSet(2, false).varintIfSet(3, undefined).stringIfSet(4, '').stringIfSet(5, undefined);
    expect(w.length).toBe(0);
    w.varintIfSet(1, true).varintIfSet(2, -2).stringIfSet(3, 'x');
    expect(hex(w.finish())).toBe(`0801${'10feffffffffffffffff01'}1a0178`);
  });

  it('reads unpacked repeated fields as well as packed ones', () => {
    const w = new ProtoWriter().double(1, 1).double(1, 2).int64(2, 7).int64(2, -7);
    const r = new ProtoReader(w.finish());
    const d: number[] = [];
    const v: number[] = [];
    while (r.next()) {
      if (r.field === 1) r.doubles(d);
      else r.int64s(v);
    }
    expect(d).toEqual([1, 2]);
    expect(v).toEqual([7, -7]);
  });

  it('refuses malformed input with a ProtoDecodeError', () => {
    const truncatedVarint = Uint8Array.of(0x08, 0x96);
    const truncatedString = Uint8Array.of(0x12, 0x07, 0x74);
    const fieldZero = Uint8Array.of(0x00, 0x01);
    const wireType3 = Uint8Array.of(0x0b);
    const read = (b: Uint8Array) => {
      const r = new ProtoReader(b);
      while (r.next()) r.skip();
    };
    expect(() => read(truncatedVarint)).toThrow(ProtoDecodeError);
    expect(() => read(truncatedString)).toThrow(/field 2 runs past the end of the message/);
    expect(() => read(fieldZero)).toThrow(/field number 0/);
    expect(() => read(wireType3)).toThrow(/unsupported wire type 3/);
    const overLong = new ProtoReader(Uint8Array.of(0x08, ...new Array(10).fill(0xff), 0x01));
    overLong.next();
    expect(() => overLong.varint()).toThrow(/varint longer than 10 bytes/);
  });

  it('varintSize and putVarint agree with the writer', () => {
    for (const n of [0, 1, 127, 128, 16_383, 16_384, 2 ** 31, 2 ** 53 - 1]) {
      const buf = new Uint8Array(10);
      const end = putVarint(buf, 0, n);
      expect(end).toBe(varintSize(n));
      const w = new ProtoWriter();
      w.rawVarint(n);
      expect(hex(buf.subarray(0, end))).toBe(hex(w.finish()));
      expect(new ProtoReader(buf, 0, end).varint()).toBe(n);
    }
  });
});
