import { putVarint, varintSize } from '@trainkit/codecs';
import type { EventFileWriter } from './event-file-writer.js';

/**
 * The hot path: scalar events encoded straight into the writer's buffer, without building
 * message objects. The bytes are what the generic encoder (proto/event.ts) produces for
 * `Event{wall_time, step, summary{value{tag, simple_value | tensor + scalars metadata}}}`; the tests
 * check both against each other and against the spec's examples.
 */

export type ScalarForm = 'simple_value' | 'tensor';

/** What the writer keeps per scalar tag: its encoded `Value.tag` field and the last point. */
export interface ScalarTag {
  /** `0a <len> <utf-8 tag>`. */
  tagField: Uint8Array;
  lastStep: number;
  lastValue: number;
  written: boolean;
}

const utf8 = new TextEncoder();

export function scalarTag(tag: string): ScalarTag {
  const bytes = utf8.encode(tag);
  const field = new Uint8Array(1 + varintSize(bytes.length) + bytes.length);
  field[0] = 0x0a;
  const at = putVarint(field, 1, bytes.length);
  field.set(bytes, at);
  return { tagField: field, lastStep: 0, lastValue: 0, written: false };
}

/** `tensor{dtype DT_FLOAT, tensor_shape{}, float_val [..]}`: field 8, then the 4 value bytes follow. */
const TENSOR_HEAD = Uint8Array.of(0x42, 0x0a, 0x08, 0x01, 0x12, 0x00, 0x2a, 0x04);
/** `metadata{plugin_data{plugin_name "scalars"}}`: field 9. */
const SCALARS_METADATA = Uint8Array.of(0x4a, 0x0b, 0x0a, 0x09, 0x0a, 0x07, 0x73, 0x63, 0x61, 0x6c, 0x61, 0x72, 0x73);

function valueBodySize(t: ScalarTag, form: ScalarForm): number {
  return t.tagField.length + (form === 'tensor' ? TENSOR_HEAD.length + 4 + SCALARS_METADATA.length : 5);
}

/** int64 step as a varint: negatives are 64-bit two's complement (10 bytes). */
function stepSize(step: number): number {
  return step >= 0 ? varintSize(step) : 10;
}

function putStep(buf: Uint8Array, at: number, step: number): number {
  if (step >= 0) return putVarint(buf, at, step);
  let u = BigInt.asUintN(64, BigInt(step));
  for (let i = 0; i < 9; i++, u >>= 7n) buf[at++] = Number(u & 0x7fn) | 0x80;
  buf[at++] = Number(u);
  return at;
}

/**
 * Appends one event holding `tags.length` scalar values at `step`. `values[i]` belongs to
 * `tags[i]`; the caller has validated them.
 */
export function appendScalarEvent(
  file: EventFileWriter,
  tags: readonly ScalarTag[],
  values: readonly number[],
  step: number,
  wallTime: number,
  form: ScalarForm,
): void {
  let summaryLen = 0;
  for (const t of tags) {
    const body = valueBodySize(t, form);
    summaryLen += 1 + varintSize(body) + body;
  }
  const eventLen = (wallTime ? 9 : 0) + (step ? 1 + stepSize(step) : 0) + 1 + varintSize(summaryLen) + summaryLen;
  let p = file.reserveRecord(eventLen);
  const buf = file.buffer;
  const view = file.bufferView;
  if (wallTime) {
    buf[p] = 0x09;
    view.setFloat64(p + 1, wallTime, true);
    p += 9;
  }
  if (step) {
    buf[p++] = 0x10;
    p = putStep(buf, p, step);
  }
  buf[p++] = 0x2a;
  p = putVarint(buf, p, summaryLen);
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i];
    buf[p++] = 0x0a;
    p = putVarint(buf, p, valueBodySize(t, form));
    const tf = t.tagField;
    for (let j = 0; j < tf.length; j++) buf[p + j] = tf[j];
    p += tf.length;
    if (form === 'tensor') {
      buf.set(TENSOR_HEAD, p);
      view.setFloat32(p + TENSOR_HEAD.length, values[i], true);
      buf.set(SCALARS_METADATA, p + TENSOR_HEAD.length + 4);
      p += TENSOR_HEAD.length + 4 + SCALARS_METADATA.length;
    } else {
      buf[p] = 0x15;
      view.setFloat32(p + 1, values[i], true);
      p += 5;
    }
  }
  file.commitRecord(eventLen);
}
