import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataLossError, EventFileReader, RecordReader, SummaryWriter, decodeEventFile, readRun } from '../src/index.js';
import type { Event } from '../src/index.js';
import { tempDir } from './helpers/temp-dir.js';

async function sampleFile(): Promise<{ dir: string; file: string; bytes: Buffer }> {
  const dir = tempDir();
  const w = new SummaryWriter(dir);
  w.addScalar('a', 1, 1);
  w.addText('t', 'hello', 2);
  w.addImage('img', { data: new Uint8Array(50 * 40 * 3).fill(9), width: 50, height: 40, channels: 3 }, 3);
  w.addScalar('a', 2, 4);
  await w.close();
  return { dir, file: w.path, bytes: fs.readFileSync(w.path) };
}

async function readAll(file: string, opts = {}): Promise<{ events: Event[]; reader: EventFileReader }> {
  const reader = new EventFileReader(file, opts);
  const events: Event[] = [];
  for await (const e of reader) events.push(e);
  return { events, reader };
}

describe('EventFileReader', () => {
  it('reads records across chunk boundaries, including records larger than a chunk', async () => {
    const { file, bytes } = await sampleFile();
    const whole = decodeEventFile(bytes).events;
    for (const chunkBytes of [1, 7, 64, 1 << 20]) {
      const { events, reader } = await readAll(file, { chunkBytes });
      expect(events).toEqual(whole);
      expect(reader.truncated).toBeUndefined();
    }
    expect(whole.map((e) => e.step)).toEqual([0, 1, 2, 3, 4]);
  });

  it('reports a truncated last record as such, at every cut inside it, and keeps what came before', async () => {
    const { dir, bytes } = await sampleFile();
    const offsets: number[] = [];
    for await (const r of new RecordReader(path.join(dir, fs.readdirSync(dir)[0]))) offsets.push(r.offset);
    const last = offsets[offsets.length - 1];
    const cut = path.join(dir, 'events.out.tfevents.cut');
    for (let end = last + 1; end < bytes.length; end += end < last + 16 ? 1 : 5) {
      fs.writeFileSync(cut, bytes.subarray(0, end));
      const { events, reader } = await readAll(cut, { chunkBytes: 16 });
      expect(events).toHaveLength(offsets.length - 1);
      expect(reader.truncated).toMatchObject({ offset: last, available: end - last });
      expect(reader.truncated!.expected).toBe(end - last >= 12 ? bytes.length - last : undefined);
    }
    const run = await readRun(cut);
    expect(run.truncated).toEqual([expect.objectContaining({ file: cut, offset: last })]);
    expect(run.scalars.get('a')?.map((p) => p.value)).toEqual([1]);
  });

  it('throws DataLossError on a bad length CRC', async () => {
    const { dir, bytes } = await sampleFile();
    const bad = Buffer.from(bytes);
    bad[40 + 9] ^= 0xff; // the length CRC of the second record
    const file = path.join(dir, 'bad');
    fs.writeFileSync(file, bad);
    const err = await readAll(file).catch((e) => e);
    expect(err).toBeInstanceOf(DataLossError);
    expect(err.message).toMatch(/length checksum.*at byte 40/);
  });

  it('throws DataLossError on a bad data CRC unless told to skip that check', async () => {
    const { dir, bytes } = await sampleFile();
    const bad = Buffer.from(bytes);
    bad[40 + 12 + 1] ^= 0x01; // inside the wall time of the second event: still parses
    const file = path.join(dir, 'bad');
    fs.writeFileSync(file, bad);
    const err = await readAll(file).catch((e) => e);
    expect(err).toBeInstanceOf(DataLossError);
    expect(err.message).toMatch(/data checksum.*at byte 40/);
    // TensorBoard's Rust loader accepts such records when they parse; so can we
    const { events } = await readAll(file, { verifyDataCrc: false });
    expect(events).toHaveLength(5);
  });

  it('throws DataLossError on a record that is not an Event', async () => {
    const { dir } = await sampleFile();
    const { frameRecord } = await import('../src/index.js');
    const file = path.join(dir, 'junk');
    fs.writeFileSync(file, frameRecord(Uint8Array.of(0x0f, 0xff)));
    await expect(readAll(file)).rejects.toThrow(/does not parse as an Event/);
  });
});
