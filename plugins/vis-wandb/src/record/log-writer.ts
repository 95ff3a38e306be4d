import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { BLOCK_SIZE, CHUNK, CHUNK_HEADER_SIZE, FILE_HEADER } from './log-format.js';

const TYPE_CRC = [0, 1, 2, 3, 4].map((t) => zlib.crc32(Buffer.from([t])));

/**
 * Appends records to a `.wandb` file. Every `append` is one synchronous write of whole records,
 * so a record is in the kernel before the call returns: a process killed right after loses
 * nothing it logged, and a reader tailing the file never sees half a record.
 */
export class RecordLogWriter {
  private fd: number | undefined;
  private size: number;
  private out = Buffer.allocUnsafe(4096);

  private constructor(
    readonly file: string,
    fd: number,
    size: number,
  ) {
    this.fd = fd;
    this.size = size;
  }

  /** Creates the file with its header (fails if it exists: a run log is never appended to twice). */
  static create(file: string): RecordLogWriter {
    const fd = fs.openSync(file, 'wx');
    fs.writeSync(fd, FILE_HEADER);
    return new RecordLogWriter(file, fd, FILE_HEADER.length);
  }

  get bytesWritten(): number {
    return this.size;
  }

  /** Frames `payloads` (one record each) and writes them with one system call. */
  append(...payloads: Buffer[]): void {
    const ranges: number[] = [];
    let all = payloads[0];
    if (payloads.length > 1) {
      all = Buffer.concat(payloads);
      let at = 0;
      for (const p of payloads) ranges.push(at, (at += p.length));
    } else ranges.push(0, all.length);
    this.appendRanges(all, ranges);
  }

  /** Frames the records at `[start, end)` pairs of `buf` and writes them with one system call. */
  appendRanges(buf: Buffer, ranges: number[]): void {
    if (this.fd === undefined) throw new Error(`${this.file}: the record log is closed`);
    let need = 0;
    for (let r = 0; r < ranges.length; r += 2) {
      const len = ranges[r + 1] - ranges[r];
      need += len + CHUNK_HEADER_SIZE * (2 + Math.ceil(len / (BLOCK_SIZE - CHUNK_HEADER_SIZE)));
    }
    if (this.out.length < need) this.out = Buffer.allocUnsafe(Math.max(need, this.out.length * 2));
    const out = this.out;
    let o = 0;
    let offset = this.size % BLOCK_SIZE;
    for (let r = 0; r < ranges.length; r += 2) {
      const start = ranges[r];
      const end = ranges[r + 1];
      let at = start;
      let first = true;
      for (;;) {
        const room = BLOCK_SIZE - offset;
        if (room < CHUNK_HEADER_SIZE) {
          // too little room for a chunk header: zero-fill the block's tail
          out.fill(0, o, o + room);
          o += room;
          offset = 0;
          continue;
        }
        const len = Math.min(end - at, room - CHUNK_HEADER_SIZE);
        const last = at + len === end;
        const type = first ? (last ? CHUNK.FULL : CHUNK.FIRST) : last ? CHUNK.LAST : CHUNK.MIDDLE;
        const data = buf.subarray(at, at + len);
        // (zlib.crc32 of an empty view of an empty buffer answers 0, so empty chunks skip it)
        out.writeUInt32LE(len ? zlib.crc32(data, TYPE_CRC[type]) : TYPE_CRC[type], o);
        out[o + 4] = len & 0xff;
        out[o + 5] = len >>> 8;
        out[o + 6] = type;
        out.set(data, o + CHUNK_HEADER_SIZE);
        o += CHUNK_HEADER_SIZE + len;
        offset += CHUNK_HEADER_SIZE + len;
        at += len;
        first = false;
        if (last) break;
      }
    }
    fs.writeSync(this.fd, out, 0, o);
    this.size += o;
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
