import { maskedCrc32c } from './crc32c.js';
import { DataLossError } from './errors.js';
import { RECORD_FOOTER_BYTES, RECORD_HEADER_BYTES } from './record.js';

export interface RawRecord {
  /** Byte offset of the record in the file. */
  offset: number;
  /** The record's payload (one serialized Event in event files). */
  data: Uint8Array;
}

/**
 * The end of a file that stops inside a record: a writer still writing or a process that died
 * mid-write. TensorBoard treats it as "no more data yet" and so do we.
 */
export interface TruncatedRecord {
  offset: number;
  /** Bytes of the record present. */
  available: number;
  /** Bytes the whole record needs, when its header was complete. */
  expected: number | undefined;
}

/**
 * Splits a byte stream into TFRecords, checking both CRCs. Fed chunk by chunk (`push`), so a
 * file of any size is read with one record's worth of memory.
 */
export class RecordParser {
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;
  /** File offset of `buf[0]`. */
  private base = 0;

  constructor(
    private readonly file?: string,
    private readonly verifyDataCrc = true,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.buf.length - this.end < chunk.length) {
      const have = this.end - this.start;
      if (have + chunk.length > this.buf.length) {
        // one record needs more than the buffer holds: grow
        const next = new Uint8Array(Math.max(have + chunk.length, this.buf.length * 2));
        next.set(this.buf.subarray(this.start, this.end), 0);
        this.buf = next;
      } else this.buf.copyWithin(0, this.start, this.end);
      this.base += this.start;
      this.start = 0;
      this.end = have;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next complete record, or undefined when more bytes are needed. */
  next(): RawRecord | undefined {
    const avail = this.end - this.start;
    if (avail < RECORD_HEADER_BYTES) return undefined;
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.start, RECORD_HEADER_BYTES);
    const offset = this.base + this.start;
    if (view.getUint32(8, true) !== maskedCrc32c(this.buf, this.start, this.start + 8)) {
      throw new DataLossError('record length checksum mismatch', this.file, offset);
    }
    const len = view.getUint32(0, true) + view.getUint32(4, true) * 0x1_0000_0000;
    const total = RECORD_HEADER_BYTES + len + RECORD_FOOTER_BYTES;
    if (avail < total) return undefined;
    const dataStart = this.start + RECORD_HEADER_BYTES;
    if (this.verifyDataCrc) {
      const stored = new DataView(this.buf.buffer, this.buf.byteOffset + dataStart + len, 4).getUint32(0, true);
      if (stored !== maskedCrc32c(this.buf, dataStart, dataStart + len)) throw new DataLossError('record data checksum mismatch', this.file, offset);
    }
    // a copy: the buffer is reused for later chunks
    const data = this.buf.slice(dataStart, dataStart + len);
    this.start += total;
    return { offset, data };
  }

  /** Call at end of input: what is left over, if anything, is a truncated record. */
  finish(): TruncatedRecord | undefined {
    const avail = this.end - this.start;
    if (avail === 0) return undefined;
    let expected: number | undefined;
    if (avail >= RECORD_HEADER_BYTES) {
      const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.start, 8);
      expected = RECORD_HEADER_BYTES + view.getUint32(0, true) + view.getUint32(4, true) * 0x1_0000_0000 + RECORD_FOOTER_BYTES;
    }
    return { offset: this.base + this.start, available: avail, expected };
  }
}

/** All records of an in-memory event file, and the truncated tail if there is one. */
export function parseRecords(bytes: Uint8Array, file?: string): { records: RawRecord[]; truncated: TruncatedRecord | undefined } {
  const p = new RecordParser(file);
  p.push(bytes);
  const records: RawRecord[] = [];
  for (let r = p.next(); r; r = p.next()) records.push(r);
  return { records, truncated: p.finish() };
}
