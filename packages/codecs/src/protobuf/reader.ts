import { ProtoDecodeError, WIRE } from './wire.js';

/**
 * A protobuf decoder for hand-written message schemas: `next()` reads a field key, then the
 * caller reads the value with the method of its type or `skip()`s it, so unknown fields (a newer
 * writer's additions) never break reading. Values are views on the input: nothing is copied.
 */
export class ProtoReader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;
  field = 0;
  wire = 0;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  /** Reads the next field key; false at the end of the message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    const key = this.varint();
    this.field = Math.floor(key / 8);
    this.wire = key % 8;
    if (this.field === 0) throw new ProtoDecodeError(`field number 0 at byte ${this.pos}`);
    return true;
  }

  /** An unsigned varint as a number (exact up to 2^53). */
  varint(): number {
    let b = this.pos < this.end ? this.buf[this.pos++] : -1;
    if (b >= 0 && b < 0x80) return b;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (b < 0) throw new ProtoDecodeError('varint runs past the end of the message');
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
      b = this.pos < this.end ? this.buf[this.pos++] : -1;
    }
    throw new ProtoDecodeError('varint longer than 10 bytes');
  }

  /** An int64 / int32 varint, sign-correct (numbers beyond 2^53 lose precision). */
  int64(): number {
    const start = this.pos;
    const v = this.varint();
    if (this.pos - start < 8) return v;
    // 8+ bytes: may be negative (two's complement over 64 bits); redo exactly with BigInt
    let big = 0n;
    for (let i = this.pos - 1; i >= start; i--) big = (big << 7n) | BigInt(this.buf[i] & 0x7f);
    return Number(BigInt.asIntN(64, big));
  }

  bool(): boolean {
    return this.varint() !== 0;
  }

  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  float(): number {
    this.need(4);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A length-delimited payload, as a view (no copy). */
  bytes(): Buffer {
    const len = this.varint();
    this.need(len);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    const len = this.varint();
    this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** A reader over the sub-message at the current field. */
  message(): ProtoReader {
    const len = this.varint();
    this.need(len);
    const sub = new ProtoReader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return sub;
  }

  /** A repeated double field, packed or not (readers must accept both). */
  doubles(into: number[]): void {
    if (this.wire === WIRE.FIXED64) into.push(this.double());
    else for (const r = this.message(); r.pos < r.end; ) into.push(r.double());
  }

  floats(into: number[]): void {
    if (this.wire === WIRE.FIXED32) into.push(this.float());
    else for (const r = this.message(); r.pos < r.end; ) into.push(r.float());
  }

  int64s(into: number[]): void {
    if (this.wire === WIRE.VARINT) into.push(this.int64());
    else for (const r = this.message(); r.pos < r.end; ) into.push(r.int64());
  }

  skip(): void {
    switch (this.wire) {
      case WIRE.VARINT:
        this.varint();
        return;
      case WIRE.FIXED64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE.LEN:
        this.bytes();
        return;
      case WIRE.FIXED32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new ProtoDecodeError(`unsupported wire type ${this.wire} (field ${this.field})`);
    }
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new ProtoDecodeError(`field ${this.field} runs past the end of the message`);
  }
}
