import { RECORD_FIELD } from '../record/messages.js';
import { putVarint, varintSize } from '@trainkit/codecs';

/** Per-key state of the training path, looked up once per key and row. */
export interface KeyEntry {
  key: string;
  /** the constant middle of an item: key = 1 (tag, length, bytes), then the two-byte tag of value_json = 16 */
  part: Uint8Array;
  /** last number logged under the key and its JSON, so a repeated value is not formatted again */
  lastNum: number;
  lastJson: string;
}

export function keyEntry(key: string): KeyEntry {
  const bytes = Buffer.from(key, 'utf8');
  const part = Buffer.allocUnsafe(1 + varintSize(bytes.length) + bytes.length + 2);
  part[0] = 0x0a;
  let p = putVarint(part, 1, bytes.length);
  part.set(bytes, p);
  p += bytes.length;
  part[p++] = 0x82;
  part[p] = 0x01;
  return { key, part, lastNum: Number.NaN, lastJson: '' };
}

/** Byte length of a value's JSON; numbers are ASCII, other text is counted. */
function byteLen(s: string, ascii: boolean): number {
  if (ascii) return s.length;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

/**
 * The training-path encoder: one logged row becomes a History record and a Summary record (the
 * pair the SDK writes per `log()`), written straight into a reused buffer with sizes computed up
 * front. HistoryItem and SummaryItem share their layout, so when the summary holds the row's own
 * values its items are one memory copy of the history's.
 */
export class RowEncoder {
  private buf = Buffer.allocUnsafe(16384);
  private pos = 0;
  private readonly lens: number[] = [];
  /** [historyStart, historyEnd, summaryStart, summaryEnd] of the last encode */
  readonly ranges = [0, 0, 0, 0];

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n + 1024));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  get buffer(): Buffer {
    return this.buf;
  }

  private varint(n: number): void {
    this.pos = putVarint(this.buf, this.pos, n);
  }

  /** Size of the item messages (each with its tag and length) of `count` entries. */
  private itemsSize(entries: KeyEntry[], values: string[], ascii: boolean[], count: number, lens: number[]): number {
    let size = 0;
    for (let i = 0; i < count; i++) {
      const len = byteLen(values[i], ascii[i]);
      lens[i] = len;
      const item = entries[i].part.length + varintSize(len) + len;
      size += 1 + varintSize(item) + item;
    }
    return size;
  }

  private writeItems(entries: KeyEntry[], values: string[], count: number, lens: number[]): void {
    const b = this.buf;
    for (let i = 0; i < count; i++) {
      const part = entries[i].part;
      const len = lens[i];
      b[this.pos++] = 0x0a; // repeated item = 1
      this.varint(part.length + varintSize(len) + len);
      b.set(part, this.pos);
      this.pos += part.length;
      this.varint(len);
      this.pos += b.write(values[i], this.pos, len, len === values[i].length ? 'latin1' : 'utf8');
    }
  }

  /**
   * Encodes Record{num, history{items, step}} and Record{num + 1, summary{update}}; the summary
   * items are the row's own (`summary` undefined) or the given ones (define_metric aggregates),
   * none when `summary.count` is 0. Ranges into `buffer` are left in `ranges`.
   */
  encode(
    num: number,
    step: number,
    entries: KeyEntry[],
    values: string[],
    ascii: boolean[],
    count: number,
    summary?: { entries: KeyEntry[]; values: string[]; ascii: boolean[]; count: number },
  ): void {
    const items = this.itemsSize(entries, values, ascii, count, this.lens);
    const stepMsg = 1 + varintSize(step);
    const history = items + 1 + varintSize(stepMsg) + stepMsg;
    const sLens = summary ? [] : this.lens;
    const sItems = summary ? this.itemsSize(summary.entries, summary.values, summary.ascii, summary.count, sLens) : items;
    this.pos = 0;
    this.ensure(history + sItems + 64);
    const b = this.buf;
    b[this.pos++] = 0x08; // num = 1
    this.varint(num);
    b[this.pos++] = (RECORD_FIELD.history << 3) | 2;
    this.varint(history);
    const itemsStart = this.pos;
    this.writeItems(entries, values, count, this.lens);
    const itemsEnd = this.pos;
    b[this.pos++] = 0x12; // step = 2
    this.varint(stepMsg);
    b[this.pos++] = 0x08;
    this.varint(step);
    this.ranges[0] = 0;
    this.ranges[1] = this.pos;
    this.ranges[2] = this.ranges[3] = this.pos;
    if (summary && summary.count === 0) return;
    b[this.pos++] = 0x08;
    this.varint(num + 1);
    b[this.pos++] = (RECORD_FIELD.summary << 3) | 2;
    this.varint(sItems);
    if (summary) this.writeItems(summary.entries, summary.values, summary.count, sLens);
    else {
      b.copyWithin(this.pos, itemsStart, itemsEnd);
      this.pos += itemsEnd - itemsStart;
    }
    this.ranges[3] = this.pos;
  }
}
