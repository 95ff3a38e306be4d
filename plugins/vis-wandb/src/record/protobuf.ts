/**
 * The few protobuf wire rules the `.wandb` log needs (varints, length-delimited fields,
 * fixed-width numbers), hand-written so the plugin carries no protobuf runtime or generated code.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Builds one message; nested messages are built by a child writer and embedded as bytes. */
export class ProtoWriter {
  private buf = Buffer.allocUnsafe(256);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private rawVarint(n: number): void {
    this.ensure(10);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  /** int32/int64/enum/bool; negative values take ten bytes (two's complement), as protobuf says. */
  varint(field: number, value: number | boolean | undefined): this {
    if (value === undefined || value === 0 || value === false) return this;
    const n = value === true ? 1 : value;
    this.tag(field, WIRE_VARINT);
    if (n >= 0) this.rawVarint(n);
    else {
      this.ensure(10);
      let big = BigInt.asUintN(64, BigInt(n));
      for (let i = 0; i < 9; i++) {
        this.buf[this.pos++] = Number(big & 0x7fn) | 0x80;
        big >>= 7n;
      }
      this.buf[this.pos++] = Number(big);
    }
    return this;
  }

  bytes(field: number, value: Uint8Array | undefined): this {
    if (value === undefined) return this;
    this.tag(field, WIRE_LEN);
    this.rawVarint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** proto3 strings: an empty or missing string is not written. */
  string(field: number, value: string | undefined): this {
    if (!value) return this;
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  /** Embedded message, written even when empty (presence matters for oneof fields). */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    build(child);
    return this.bytes(field, child.finish());
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/**
 * Walks the fields of one message without allocating per field: after `next()` returns true,
 * `field`/`wire` name the field and `int` (varint) or `start`/`end` (length-delimited) hold its
 * value. Throws on malformed input.
 */
export class ProtoReader {
  field = 0;
  wire = 0;
  int = 0;
  start = 0;
  end = 0;
  private pos: number;

  constructor(
    readonly buf: Buffer,
    from = 0,
    private readonly limit = buf.length,
  ) {
    this.pos = from;
  }

  private varint(): number {
    const buf = this.buf;
    const from = this.pos;
    let b = buf[this.pos++];
    if (b < 0x80) return b;
    let result = b & 0x7f;
    let mul = 128;
    for (let i = 1; i < 10; i++) {
      if (this.pos >= this.limit) throw new Error('protobuf: truncated varint');
      b = buf[this.pos++];
      result += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) return i < 7 ? result : this.bigVarint(from);
    }
    throw new Error('protobuf: varint longer than 10 bytes');
  }

  /** Varints of 8 bytes or more (negative int32/int64 take 10) exceed doubles: read them exactly. */
  private bigVarint(from: number): number {
    let v = 0n;
    let shift = 0n;
    for (let p = from; p < this.pos; p++) {
      v |= BigInt(this.buf[p] & 0x7f) << shift;
      shift += 7n;
    }
    return Number(BigInt.asIntN(64, v));
  }

  next(): boolean {
    if (this.pos >= this.limit) return false;
    const key = this.varint();
    this.field = key >>> 3;
    this.wire = key & 7;
    switch (this.wire) {
      case WIRE_VARINT:
        this.int = this.varint();
        return true;
      case WIRE_LEN: {
        const len = this.varint();
        this.start = this.pos;
        this.end = this.pos + len;
        if (this.end > this.limit) throw new Error('protobuf: truncated field');
        this.pos = this.end;
        return true;
      }
      case WIRE_FIXED64:
      case WIRE_FIXED32: {
        this.start = this.pos;
        this.pos += this.wire === WIRE_FIXED64 ? 8 : 4;
        this.end = this.pos;
        if (this.end > this.limit) throw new Error('protobuf: truncated fixed field');
        return true;
      }
      default:
        throw new Error(`protobuf: unsupported wire type ${this.wire}`);
    }
  }

  /** A reader over the current length-delimited field (an embedded message). */
  sub(): ProtoReader {
    return new ProtoReader(this.buf, this.start, this.end);
  }

  string(): string {
    return this.buf.toString('utf8', this.start, this.end);
  }

  bytes(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }
}
