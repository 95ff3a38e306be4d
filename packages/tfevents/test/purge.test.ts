import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventFileReader, SessionStatus, SummaryWriter, readRun, readScalars } from '../src/index.js';
import { tempDir } from './helpers/temp-dir.js';

/** An interrupted run logs steps 10..150; the checkpoint it resumes from is at step 100. */
async function interruptedThenResumed(dir: string, resume: (w: SummaryWriter) => void): Promise<void> {
  const first = new SummaryWriter(dir);
  for (let s = 10; s <= 150; s += 10) first.addScalars({ loss: 1 / s, lr: 0.1 }, s);
  first.addScalar('val/acc', 0.5, 120);
  await first.close();
  // file names sort by their creation second: the resumed run's file must come later
  const firstSecond = Number(path.basename(first.path).split('.')[3]);
  while (Math.floor(Date.now() / 1000) <= firstSecond) await new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));
  const second = new SummaryWriter(dir);
  resume(second);
  for (let s = 110; s <= 200; s += 10) second.addScalars({ loss: 2 / s, lr: 0.01 }, s);
  await second.close();
}

describe('purge on resume', () => {
  it('writes two SessionLog START records at the purge step', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    w.purgeFrom(101);
    await w.close();
    const starts = [];
    for await (const e of new EventFileReader(w.path)) if (e.sessionLog) starts.push([e.step, e.sessionLog.status]);
    expect(starts).toEqual([
      [101, SessionStatus.START],
      [101, SessionStatus.START],
    ]);
  });

  it('supersedes what the interrupted run logged after the checkpoint: no zig-zag, no duplicate steps', async () => {
    const dir = tempDir();
    await interruptedThenResumed(dir, (w) => w.purgeFrom(101));
    expect(fs.readdirSync(dir)).toHaveLength(2);
    const scalars = await readScalars(dir);
    const steps = (tag: string) => scalars[tag].map((p) => p.step);
    const expected = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200];
    expect(steps('loss')).toEqual(expected);
    expect(steps('lr')).toEqual(expected);
    // values up to the checkpoint from the first run, after it from the resumed one
    expect(scalars.loss.map((p) => p.value)).toEqual(expected.map((s) => Math.fround(s <= 100 ? 1 / s : 2 / s)));
    // a tag the resumed run never logged again is gone after the purge step too
    expect(scalars['val/acc']).toEqual([]);
  });

  it('without the purge, only the per-tag replacement of the Rust loader applies', async () => {
    const dir = tempDir();
    await interruptedThenResumed(dir, () => {});
    const scalars = await readScalars(dir);
    expect(scalars.loss.map((p) => p.step)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200]);
    expect(scalars['val/acc'].map((p) => p.step)).toEqual([120]);
    // and the raw view shows the overlap a naive reader would draw as a zig-zag
    const raw = await readRun(dir, { purge: false });
    expect(
      raw.scalars
        .get('loss')!
        .map((p) => p.step)
        .filter((s) => s === 120),
    ).toHaveLength(2);
  });

  it('the first START of a run marks its beginning and purges nothing (TensorBoard rule)', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    for (let s = 1; s <= 5; s++) w.addScalar('x', s, s);
    w.writeEvent({ wallTime: Date.now() / 1000, step: 3, sessionLog: { status: SessionStatus.START } });
    await w.close();
    expect((await readScalars(dir)).x.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
  });
});
