import { describe, expect, it, vi } from 'vitest';
import { SummaryWriter } from '../src/index.js';
import { tempDir } from './helpers/temp-dir.js';

/** A disk that fails on demand: the writer's writes go through these. */
const disk = vi.hoisted(() => ({ failing: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  return {
    ...fs,
    writev: ((fd: number, bufs: Uint8Array[], pos: number, cb: (e: Error | null, n: number) => void) =>
      disk.failing ? setImmediate(() => cb(enospc(), 0)) : fs.writev(fd, bufs, pos, cb)) as typeof fs.writev,
    writeSync: ((...args: Parameters<typeof fs.writeSync>) => {
      if (disk.failing) throw enospc();
      return fs.writeSync(...args);
    }) as typeof fs.writeSync,
  };
});

describe('a failing disk', () => {
  it('never throws into the caller; flush() and close() report it, and memory is released', async () => {
    const w = new SummaryWriter(tempDir(), { flushOnExit: false, bufferBytes: 4096, maxQueueBytes: 8192 });
    disk.failing = true;
    try {
      // past the queue limit too: the synchronous path fails as quietly as the background one
      for (let i = 0; i < 2000; i++) w.addScalar('loss', i, i);
      await expect(w.flush()).rejects.toThrow(/writing .*tfevents.* failed: ENOSPC/);
      expect(w.stats.queuedBytes).toBe(0);
      w.addScalar('loss', 1, 2001);
      await expect(w.close()).rejects.toThrow(/ENOSPC/);
    } finally {
      disk.failing = false;
    }
  });
});
