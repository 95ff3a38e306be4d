import * as fs from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RecordReader, SummaryWriter } from '../src/index.js';
import { tempDir } from './helpers/temp-dir.js';

const N = 1_000_000;
const MAX_QUEUE = 1 << 20;
const BUFFER = 64 * 1024;

describe('1,000,000 scalars', () => {
  it('keep the file growth per scalar, the write queue and the process memory bounded', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir, { maxQueueBytes: MAX_QUEUE, bufferBytes: BUFFER, flushSecs: 1 });
    const tags = ['train/loss', 'train/lr', 'train/grad_norm', 'val/acc'];
    // warm up the encoder and the tag table before taking the baseline
    for (let i = 0; i < 10_000; i++) w.addScalar(tags[i % 4], i, 0);
    await w.flush();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakBuffers = before.arrayBuffers;
    let peakQueue = 0;
    let sizeAtHalf = 0;
    for (let i = 0; i < N; i++) {
      w.addScalar(tags[i & 3], i * 1e-6, i);
      if ((i & 0xffff) === 0) {
        // a training loop yields between steps; the background writes progress then
        await yieldToLoop();
        const m = process.memoryUsage();
        peakHeap = Math.max(peakHeap, m.heapUsed);
        peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
        peakQueue = Math.max(peakQueue, w.stats.queuedBytes);
      }
      if (i === N / 2) sizeAtHalf = w.stats.bytes;
    }
    await w.close();
    if (process.env.TFEVENTS_DEBUG)
      console.log({ peakHeapMB: (peakHeap - before.heapUsed) / 2 ** 20, peakBuffersMB: (peakBuffers - before.arrayBuffers) / 2 ** 20, stats: w.stats });

    // the queue never held more than its limit plus the buffer being filled
    expect(w.stats.maxQueuedBytes).toBeLessThanOrEqual(MAX_QUEUE + BUFFER);
    expect(peakQueue).toBeLessThanOrEqual(MAX_QUEUE + BUFFER);
    // memory did not grow with the data written (44 MB): only the bounded queue and its buffers
    expect(peakBuffers - before.arrayBuffers).toBeLessThan(16 * MAX_QUEUE);
    expect(peakHeap - before.heapUsed).toBeLessThan(64 * 1024 * 1024);

    // the file grows by a fixed amount per scalar, and everything written is there
    const size = fs.statSync(w.path).size;
    expect(size).toBe(w.stats.bytes);
    const perScalar = (size - sizeAtHalf) / (N / 2);
    // 16 framing + 9 wall time + 4 step + 2 summary + 2 value + 2-16 tag + 5 float: 50 on average here
    expect(perScalar).toBeLessThanOrEqual(56);
    expect(size).toBeLessThan(56 * (N + 10_000));
    expect(w.stats.records).toBe(1 + 10_000 + N);

    let records = 0;
    let last: Uint8Array | undefined;
    for await (const r of new RecordReader(w.path)) {
      records++;
      last = r.data;
    }
    expect(records).toBe(w.stats.records);
    expect(Buffer.from(last!).includes(Buffer.from(tags[(N - 1) & 3]))).toBe(true);
  });
});
