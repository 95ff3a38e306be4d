import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { BLOCK_SIZE, CHUNK, CHUNK_HEADER_SIZE, FILE_HEADER } from './log-format.js';

const READ_SIZE = 1 << 20;
const TYPE_CRC = [0, 1, 2, 3, 4].map((t) => zlib.crc32(Buffer.from([t])));

/**
 * Reads records back from a `.wandb` file, also while another writer is still appending (the
 * online sender tails the spool this way). An incomplete chunk at the end is left for a later
 * call; a chunk with a bad CRC drops the rest of its block, as LevelDB readers do.
 */
export class RecordLogReader {
  private fd: number | undefined;
  private buf = Buffer.alloc(0);
  /** absolute file offset of buf[0] */
  private bufStart = 0;
  /** absolute offset of the next chunk */
  private pos = FILE_HEADER.length;
  private partial: Buffer[] | undefined;
  private headerChecked = false;
  /** chunks skipped because of a bad CRC or an unexpected type */
  corrupted = 0;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'r');
  }

  /** Bytes consumed so far (the position after the last complete chunk). */
  get position(): number {
    return this.pos;
  }

  /** Whether bytes past the last complete record exist (a writer killed mid-write, or still writing). */
  get hasIncompleteTail(): boolean {
    return this.partial !== undefined || this.bufStart + this.buf.length > this.pos;
  }

  private available(from: number, n: number): boolean {
    if (from + n <= this.bufStart + this.buf.length) return true;
    this.fill(from + n);
    return from + n <= this.bufStart + this.buf.length;
  }

  /** Reads what the file has grown by, enough to reach `upTo` if it can (one read of at least 1 MiB). */
  private fill(upTo: number): void {
    if (this.fd === undefined) return;
    // what is before the current chunk has been consumed and is dropped
    const keep = Math.max(0, Math.min(this.pos, this.bufStart + this.buf.length) - this.bufStart);
    const rest = this.buf.subarray(keep);
    const start = this.bufStart + keep;
    const want = Math.max(READ_SIZE, upTo - start - rest.length);
    const chunk = Buffer.allocUnsafe(rest.length + want);
    rest.copy(chunk, 0);
    const n = fs.readSync(this.fd, chunk, rest.length, want, start + rest.length);
    this.buf = chunk.subarray(0, rest.length + Math.max(0, n));
    this.bufStart = start;
  }

  private bytes(from: number, n: number): Buffer {
    return this.buf.subarray(from - this.bufStart, from - this.bufStart + n);
  }

  /** The next complete record's payload, or undefined if none is complete yet. */
  next(): Buffer | undefined {
    if (!this.headerChecked) {
      if (!this.available(0, FILE_HEADER.length)) return undefined;
      if (!this.bytes(0, FILE_HEADER.length).equals(FILE_HEADER)) {
        throw new Error(`${this.file}: not a W&B run log (the file does not start with the :W&B header, magic 0xBEE1, version 0)`);
      }
      this.headerChecked = true;
    }
    for (;;) {
      const room = BLOCK_SIZE - (this.pos % BLOCK_SIZE);
      if (room < CHUNK_HEADER_SIZE) {
        if (!this.available(this.pos, room)) return undefined;
        this.pos += room;
        continue;
      }
      if (!this.available(this.pos, CHUNK_HEADER_SIZE)) return undefined;
      const head = this.bytes(this.pos, CHUNK_HEADER_SIZE);
      const crc = head.readUInt32LE(0);
      const len = head.readUInt16LE(4);
      const type = head[6];
      if (type === CHUNK.ZERO && len === 0 && crc === 0) {
        // zero padding (pre-allocated space): nothing more in this block
        this.pos += room;
        continue;
      }
      if (len > room - CHUNK_HEADER_SIZE) {
        this.skipBlock(room);
        continue;
      }
      if (!this.available(this.pos, CHUNK_HEADER_SIZE + len)) return undefined;
      const data = this.bytes(this.pos + CHUNK_HEADER_SIZE, len);
      const typeCrc = TYPE_CRC[type] ?? zlib.crc32(Buffer.from([type]));
      if ((len ? zlib.crc32(data, typeCrc) : typeCrc) !== crc) {
        this.skipBlock(room);
        continue;
      }
      this.pos += CHUNK_HEADER_SIZE + len;
      switch (type) {
        case CHUNK.FULL:
          if (this.partial) this.corrupted++;
          this.partial = undefined;
          // a view, not a copy: read buffers are never reused, so it stays valid
          return data;
        case CHUNK.FIRST:
          if (this.partial) this.corrupted++;
          this.partial = [Buffer.from(data)];
          break;
        case CHUNK.MIDDLE:
          if (this.partial) this.partial.push(Buffer.from(data));
          else this.corrupted++;
          break;
        case CHUNK.LAST: {
          if (!this.partial) {
            this.corrupted++;
            break;
          }
          const whole = Buffer.concat([...this.partial, data]);
          this.partial = undefined;
          return whole;
        }
        default:
          this.corrupted++;
      }
    }
  }

  /** Drops the rest of the current block (`room` bytes from the position). */
  private skipBlock(room: number): void {
    this.corrupted++;
    this.partial = undefined;
    this.pos += room;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
