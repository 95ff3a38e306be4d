import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordLogReader, RecordLogWriter, decodeRecord, encodeRecord, type WandbRecord } from '../src/index.js';
import { decodeMessage, int, readSpecLog, str, sub } from './support/spec-reader.js';
import { tempDir } from './support/env.js';

const BLOCK = 32768;

function readAll(file: string): Buffer[] {
  const reader = new RecordLogReader(file);
  const out: Buffer[] = [];
  for (let p = reader.next(); p; p = reader.next()) out.push(Buffer.from(p));
  reader.close();
  return out;
}

describe('the .wandb record log', () => {
  it('frames records across 32 KiB blocks: FULL, FIRST/MIDDLE/LAST, zero trailers, a zero-length FIRST at exactly 7 bytes left', () => {
    const file = path.join(tempDir(), 'run-x.wandb');
    const w = RecordLogWriter.create(file);
    const payloads: Buffer[] = [];
    const add = (n: number, fill: number) => {
      const p = Buffer.alloc(n, fill);
      payloads.push(p);
      w.append(p);
    };
    // first block: 7 header bytes; leave exactly 7 bytes: 7 + (7 + n) = BLOCK - 7
    add(BLOCK - 7 - 7 - 7, 1);
    expect(w.bytesWritten).toBe(BLOCK - 7);
    add(100, 2); // zero-length FIRST in the 7 bytes, LAST in the next block
    // leave 3 bytes in the block: they are zero-filled
    add(BLOCK - (w.bytesWritten % BLOCK) - 7 - 3, 3);
    add(50, 4);
    add(3 * BLOCK + 123, 5); // FIRST, MIDDLE, MIDDLE, LAST
    add(0, 6); // an empty record is a FULL chunk of length 0
    w.close();

    const spec = readSpecLog(file);
    expect(spec.problems).toEqual([]);
    const same = (got: Buffer[]) => got.length === payloads.length && got.every((b, i) => b.equals(payloads[i]));
    expect(same(spec.records)).toBe(true);
    const second = spec.chunks[1];
    expect(second).toMatchObject({ offset: BLOCK - 7, type: 2, length: 0 });
    expect(spec.chunks.map((c) => c.type)).toEqual([1, 2, 4, 1, 1, 2, 3, 3, 4, 1]);
    expect(same(readAll(file))).toBe(true);
  });

  it('a reader tails a growing log, waits at an incomplete end, and skips a corrupted block', () => {
    const dir = tempDir();
    const file = path.join(dir, 'run-y.wandb');
    const w = RecordLogWriter.create(file);
    const reader = new RecordLogReader(file);
    expect(reader.next()).toBeUndefined();
    w.append(Buffer.from('one'));
    expect(reader.next()?.toString()).toBe('one');
    expect(reader.next()).toBeUndefined();
    w.append(Buffer.from('two'), Buffer.from('three'));
    expect(reader.next()?.toString()).toBe('two');
    expect(reader.next()?.toString()).toBe('three');
    w.append(Buffer.alloc(BLOCK * 2, 7), Buffer.from('after'));
    w.close();

    // a copy cut in the middle of a chunk (a process killed mid-write) reads up to the cut
    const bytes = fs.readFileSync(file);
    const cut = path.join(dir, 'run-cut.wandb');
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 2));
    const cutReader = new RecordLogReader(cut);
    const got: string[] = [];
    for (let p = cutReader.next(); p; p = cutReader.next()) got.push(p.length > 10 ? `big${p.length}` : p.toString());
    expect(got).toEqual(['one', 'two', 'three', `big${BLOCK * 2}`]);
    expect(cutReader.hasIncompleteTail).toBe(true);

    // a flipped byte in the first block: its records are dropped, the later blocks still read
    const bad = Buffer.from(bytes);
    bad[7 + 7 + 1] ^= 0xff;
    const badFile = path.join(dir, 'run-bad.wandb');
    fs.writeFileSync(badFile, bad);
    const badReader = new RecordLogReader(badFile);
    const rest: number[] = [];
    for (let p = badReader.next(); p; p = badReader.next()) rest.push(p.length);
    expect(badReader.corrupted).toBeGreaterThan(0);
    expect(rest).toEqual([5]);
  });

  it('refuses a file that is not a W&B log', () => {
    const file = path.join(tempDir(), 'run-z.wandb');
    fs.writeFileSync(file, 'not a log at all');
    expect(() => new RecordLogReader(file).next()).toThrow(/not a W&B run log/);
  });

  it('records round-trip, and read the same with the spec reader', () => {
    const records: WandbRecord[] = [
      {
        type: 'run',
        num: 1,
        run: {
          runId: 'abc',
          entity: 'e',
          project: 'p',
          config: [{ key: 'lr', valueJson: '0.1' }],
          tags: ['x', 'y'],
          startTime: { seconds: 1700000000, nanos: 5 },
          resumed: true,
          startingStep: 7,
        },
      },
      {
        type: 'history',
        num: 2,
        items: [
          { key: 'loss', valueJson: 'NaN' },
          { key: '', nestedKey: ['a', 'b'], valueJson: '{"c":1}' },
        ],
        step: 3,
      },
      { type: 'summary', num: 3, update: [{ key: 'loss', valueJson: '1' }], remove: [{ key: 'old', valueJson: '' }] },
      { type: 'files', num: 4, files: [{ path: 'media/images/a.png', policy: 0, fileType: 2 }] },
      { type: 'output_raw', num: 5, stream: 'stdout', timestamp: { seconds: 1, nanos: 2 }, line: 'hi\n' },
      { type: 'metric', num: 6, metric: { name: 'acc', stepMetric: 'epoch', stepSync: true, defined: true, summary: { max: true }, goal: 2 } },
      { type: 'exit', num: 7, exitCode: -9, runtime: 12 },
    ];
    for (const rec of records) {
      const bytes = encodeRecord(rec);
      const back = decodeRecord(bytes);
      expect(back).toMatchObject(rec);
    }
    const exit = decodeMessage(encodeRecord(records[6]));
    expect(int(sub(exit, 18) as never, 1)).toBe(-9);
    const run = sub(decodeMessage(encodeRecord(records[0])), 17);
    expect(str(run as never, 1)).toBe('abc');
  });
});
