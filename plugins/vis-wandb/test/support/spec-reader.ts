import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

/**
 * An independent reader of W&B's `.wandb` files, written from the spec (§9.2) for the tests and
 * sharing no code with the plugin: the header, 32 KiB blocks of `crc32 | len | type | data`
 * chunks (CRC-32 IEEE over type + data), records reassembled from FULL / FIRST+MIDDLE*+LAST, and a
 * generic protobuf decoder.
 */

export interface Chunk {
  offset: number;
  type: number;
  length: number;
}

export interface SpecLog {
  records: Buffer[];
  chunks: Chunk[];
  /** problems found; empty for a valid file */
  problems: string[];
}

const BLOCK = 32768;

export function readSpecLog(file: string): SpecLog {
  const bytes = fs.readFileSync(file);
  const problems: string[] = [];
  const header = Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]);
  if (!bytes.subarray(0, 7).equals(header)) problems.push('bad file header');
  const records: Buffer[] = [];
  const chunks: Chunk[] = [];
  let pos = 7;
  let parts: Buffer[] | null = null;
  while (pos < bytes.length) {
    const left = BLOCK - (pos % BLOCK);
    if (left < 7) {
      const pad = bytes.subarray(pos, pos + left);
      if (pad.some((b) => b !== 0)) problems.push(`non-zero block trailer at ${pos}`);
      pos += left;
      continue;
    }
    if (pos + 7 > bytes.length) {
      problems.push(`truncated chunk header at ${pos}`);
      break;
    }
    const crc = bytes.readUInt32LE(pos);
    const length = bytes.readUInt16LE(pos + 4);
    const type = bytes[pos + 6];
    if (7 + length > left) problems.push(`chunk at ${pos} crosses a block boundary`);
    const data = bytes.subarray(pos + 7, pos + 7 + length);
    if (data.length !== length) {
      problems.push(`truncated chunk at ${pos}`);
      break;
    }
    const expected = zlib.crc32(Buffer.concat([Buffer.from([type]), data]));
    if (expected !== crc) problems.push(`bad CRC at ${pos}`);
    chunks.push({ offset: pos, type, length });
    if (type === 1) {
      if (parts) problems.push(`FULL inside a split record at ${pos}`);
      records.push(Buffer.from(data));
      parts = null;
    } else if (type === 2) {
      if (parts) problems.push(`FIRST inside a split record at ${pos}`);
      parts = [Buffer.from(data)];
    } else if (type === 3) {
      if (!parts) problems.push(`MIDDLE without FIRST at ${pos}`);
      parts?.push(Buffer.from(data));
    } else if (type === 4) {
      if (!parts) problems.push(`LAST without FIRST at ${pos}`);
      else records.push(Buffer.concat([...parts, data]));
      parts = null;
    } else problems.push(`unknown chunk type ${type} at ${pos}`);
    pos += 7 + length;
  }
  if (parts) problems.push('file ends inside a split record');
  return { records, chunks, problems };
}

/** field number -> values (varints as numbers, length-delimited as Buffers) */
export type Message = Map<number, Array<number | Buffer>>;

export function decodeMessage(buf: Buffer): Message {
  const msg: Message = new Map();
  let pos = 0;
  const varint = () => {
    let shift = 0n;
    let v = 0n;
    for (;;) {
      const b = buf[pos++];
      if (b === undefined) throw new Error('truncated varint');
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) break;
    }
    return v;
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    let value: number | Buffer;
    if (wire === 0) value = Number(BigInt.asIntN(64, varint()));
    else if (wire === 2) {
      const len = Number(varint());
      value = buf.subarray(pos, pos + len);
      if (value.length !== len) throw new Error('truncated field');
      pos += len;
    } else if (wire === 1) {
      value = buf.subarray(pos, pos + 8);
      pos += 8;
    } else if (wire === 5) {
      value = buf.subarray(pos, pos + 4);
      pos += 4;
    } else throw new Error(`wire type ${wire}`);
    const list = msg.get(field) ?? [];
    list.push(value);
    msg.set(field, list);
  }
  return msg;
}

export const str = (m: Message, field: number): string | undefined => (m.get(field)?.[0] as Buffer | undefined)?.toString('utf8');
export const strs = (m: Message, field: number): string[] => (m.get(field) ?? []).map((b) => (b as Buffer).toString('utf8'));
export const int = (m: Message, field: number): number => (m.get(field)?.[0] as number | undefined) ?? 0;
export const sub = (m: Message, field: number): Message | undefined => {
  const b = m.get(field)?.[0];
  return b === undefined ? undefined : decodeMessage(b as Buffer);
};
export const subs = (m: Message, field: number): Message[] => (m.get(field) ?? []).map((b) => decodeMessage(b as Buffer));

/** Record kinds by the Record field that holds them (spec §9.2). */
export const RECORD_KINDS: Record<number, string> = {
  2: 'history',
  3: 'summary',
  4: 'output',
  5: 'config',
  6: 'files',
  7: 'stats',
  11: 'telemetry',
  12: 'metric',
  13: 'output_raw',
  17: 'run',
  18: 'exit',
  20: 'final',
  21: 'header',
  22: 'footer',
  23: 'preempting',
  26: 'environment',
};

export function recordKind(m: Message): string {
  for (const f of m.keys()) if (RECORD_KINDS[f]) return RECORD_KINDS[f];
  return 'unknown';
}

/** A history/summary/config item: key (or nested_key path) and value_json. */
export function item(m: Message): { key: string; value: string } {
  const nested = strs(m, 2);
  return { key: nested.length ? nested.join('.') : (str(m, 1) ?? ''), value: str(m, 16) ?? '' };
}
