/**
 * A minimal protobuf encoder: just the wire types event files use. Nested messages are written in
 * place (`fork` / `join`): the payload is written first, then moved right by the size of its
 * length prefix, so a large image is copied once per nesting level at most and no temporary
 * buffers pile up.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

export class ProtoWriter {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;
  private readonly forks: number[] = [];

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private key(field: number, wire: number): void {
    this.rawVarint((field << 3) | wire);
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
    this.key(field, WIRE_VARINT);
    this.rawVarint(v);
    return this;
  }

  /** int64 / int32 field (negatives as 10-byte varints). */
  int64(field: number, v: number | bigint): this {
    this.key(field, WIRE_VARINT);
    this.rawVarint64(v);
    return this;
  }

  bool(field: number, v: boolean): this {
    return this.uint(field, v ? 1 : 0);
  }

  double(field: number, v: number): this {
    this.key(field, WIRE_FIXED64);
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, WIRE_FIXED32);
    this.ensure(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, WIRE_LEN);
    this.rawVarint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }

  packedDoubles(field: number, values: ArrayLike<number>): this {
    this.key(field, WIRE_LEN);
    this.rawVarint(values.length * 8);
    this.ensure(values.length * 8);
    for (let i = 0; i < values.length; i++, this.pos += 8) this.view.setFloat64(this.pos, values[i], true);
    return this;
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    this.key(field, WIRE_LEN);
    this.rawVarint(values.length * 4);
    this.ensure(values.length * 4);
    for (let i = 0; i < values.length; i++, this.pos += 4) this.view.setFloat32(this.pos, values[i], true);
    return this;
  }

  packedVarints(field: number, values: ArrayLike<number | bigint>): this {
    return this.message(field, (w) => {
      for (let i = 0; i < values.length; i++) w.rawVarint64(values[i]);
    });
  }

  /** A length-delimited sub-message (always written, even when empty: presence matters). */
  message(field: number, write: (w: this) => void): this {
    this.key(field, WIRE_LEN);
    this.fork();
    write(this);
    this.join();
    return this;
  }

  private fork(): void {
    this.forks.push(this.pos);
  }

  private join(): void {
    const start = this.forks.pop()!;
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

  /** The encoded bytes (a view on the internal buffer: copy it if the writer is reused). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
