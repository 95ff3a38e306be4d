import { DataLossError } from './errors.js';
import { decodeEvent } from './proto/event.js';
import type { Event } from './proto/types.js';
import { type TruncatedRecord, parseRecords } from './record-parser.js';
import { RecordReader, type RecordReaderOptions } from './record-reader.js';

/**
 * The events of one event file, CRCs checked. A record whose bytes do not parse as an Event
 * throws DataLossError (TensorBoard gives up on the file there too); a truncated last record ends
 * the iteration and is reported in `truncated`.
 *
 * ```ts
 * for await (const event of new EventFileReader(file)) console.log(event.step, event.summary);
 * ```
 */
export class EventFileReader implements AsyncIterable<Event> {
  readonly records: RecordReader;

  constructor(
    readonly file: string,
    opts: RecordReaderOptions = {},
  ) {
    this.records = new RecordReader(file, opts);
  }

  /** Set after iteration when the file ended inside a record. */
  get truncated(): TruncatedRecord | undefined {
    return this.records.truncated;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Event> {
    for await (const r of this.records) yield parseEvent(r.data, this.file, r.offset);
  }
}

function parseEvent(data: Uint8Array, file: string | undefined, offset: number): Event {
  try {
    return decodeEvent(data);
  } catch (e) {
    throw new DataLossError(`record does not parse as an Event (${(e as Error).message})`, file, offset);
  }
}

/** The events of an in-memory event file. */
export function decodeEventFile(bytes: Uint8Array): { events: Event[]; truncated: TruncatedRecord | undefined } {
  const { records, truncated } = parseRecords(bytes);
  return { events: records.map((r) => parseEvent(r.data, undefined, r.offset)), truncated };
}
