import * as fs from 'node:fs/promises';
import { type RawRecord, RecordParser, type TruncatedRecord } from './record-parser.js';

export interface RecordReaderOptions {
  /** Check the data CRC as well as the length CRC (default true). */
  verifyDataCrc?: boolean;
  /** Bytes read from the file at a time (default 1 MiB). */
  chunkBytes?: number;
}

/**
 * The records of a TFRecord file, read in chunks. Throws DataLossError on a bad checksum; a file
 * that ends inside a record ends the iteration normally and leaves `truncated` set.
 *
 * ```ts
 * const reader = new RecordReader(file);
 * for await (const { offset, data } of reader) { ... }
 * if (reader.truncated) console.warn(`partial record at byte ${reader.truncated.offset}`);
 * ```
 */
export class RecordReader implements AsyncIterable<RawRecord> {
  /** Set after iteration when the file ended inside a record. */
  truncated: TruncatedRecord | undefined;

  constructor(
    readonly file: string,
    private readonly opts: RecordReaderOptions = {},
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RawRecord> {
    this.truncated = undefined;
    const parser = new RecordParser(this.file, this.opts.verifyDataCrc ?? true);
    const handle = await fs.open(this.file, 'r');
    try {
      const chunk = new Uint8Array(this.opts.chunkBytes ?? 1024 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        parser.push(chunk.subarray(0, bytesRead));
        for (let r = parser.next(); r; r = parser.next()) yield r;
      }
      this.truncated = parser.finish();
    } finally {
      await handle.close();
    }
  }
}
