import { WIRE } from './wire.js';

/**
 * A protobuf encoder over the wire types, for hand-written message schemas. Nested messages are
 * written in place (`message` forks, writes, then joins): the payload is written first and moved
 * right by the size of its length prefix, so a large image is copied once per nesting level at
 * most and no child buffers pile up.
 *
 * The typed methods always write their field (proto2 / explicit presence); the `...IfSet` ones
 * skip a field holding its default (proto3 implicit presence: 0, false, '' and undefined).
 */
export class ProtoWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly forks: number[] = [];

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private key(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  /** Unsigned varint of a non-negative safe integer. */
  rawVarint(v: number): void {
    this.ensure(10);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** A 64-bit two's complement varint (negative numbers take 10 bytes, as protobuf says). */
  private rawVarint64(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && Number.isSafeInteger(v)) {
      this.rawVarint(v);
      return;
    }
    let u = BigInt.asUintN(64, BigInt(v));
    this.ensure(10);
    while (u > 0x7fn) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  /** uint32 / uint64 / enum / int32 >= 0 field. */
  uint(field: number, v: number): this {
    this.key(field, WIRE.VARINT);
    this.rawVarint(v);
    return this;
  }

  /** int64 / int32 field (negatives as 10-byte varints). */
  int64(field: number, v: number | bigint): this {
    this.key(field, WIRE.VARINT);
    this.rawVarint64(v);
    return this;
  }

  bool(field: number, v: boolean): this {
    return this.uint(field, v ? 1 : 0);
  }

  double(field: number, v: number): this {
    this.key(field, WIRE.FIXED64);
    this.ensure(8);
    this.pos = this.buf.writeDoubleLE(v, this.pos);
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, WIRE.FIXED32);
    this.ensure(4);
    this.pos = this.buf.writeFloatLE(v, this.pos);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, WIRE.LEN);
    this.rawVarint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    return this;
  }

  /** UTF-8 text, encoded straight into the buffer. */
  string(field: number, s: string): this {
    const len = Buffer.byteLength(s, 'utf8');
    this.key(field, WIRE.LEN);
    this.rawVarint(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, len, 'utf8');
    return this;
  }

  /** int32 / int64 / enum / bool of proto3: nothing is written for undefined, 0 or false. */
  varintIfSet(field: number, v: number | boolean | undefined): this {
    if (v === undefined || v === 0 || v === false) return this;
    return this.int64(field, v === true ? 1 : v);
  }

  /** A proto3 string: nothing is written for undefined or ''. */
  stringIfSet(field: number, s: string | undefined): this {
    return s ? this.string(field, s) : this;
  }

  packedDoubles(field: number, values: ArrayLike<number>): this {
    this.key(field, WIRE.LEN);
    this.rawVarint(values.length * 8);
    this.ensure(values.length * 8);
    for (let i = 0; i < values.length; i++) this.pos = this.buf.writeDoubleLE(values[i], this.pos);
    return this;
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    this.key(field, WIRE.LEN);
    this.rawVarint(values.length * 4);
    this.ensure(values.length * 4);
    for (let i = 0; i < values.length; i++) this.pos = this.buf.writeFloatLE(values[i], this.pos);
    return this;
  }

  packedVarints(field: number, values: ArrayLike<number | bigint>): this {
    return this.message(field, (w) => {
      for (let i = 0; i < values.length; i++) w.rawVarint64(values[i]);
    });
  }

  /** A length-delimited sub-message (always written, even when empty: presence matters). */
  message(field: number, write: (w: this) => void): this {
    this.key(field, WIRE.LEN);
    this.forks.push(this.pos);
    write(this);
    this.join();
    return this;
  }

  private join(): void {
    const start = this.forks.pop() as number;
    const len = this.pos - start;
    let prefix = 1;
    for (let v = len; v > 0x7f; v = Math.floor(v / 128)) prefix++;
    this.ensure(prefix);
    this.buf.copyWithin(start + prefix, start, this.pos);
    const end = this.pos + prefix;
    this.pos = start;
    this.rawVarint(len);
    this.pos = end;
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** The encoded bytes (a view on the internal buffer: copy it if the writer is reused). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
