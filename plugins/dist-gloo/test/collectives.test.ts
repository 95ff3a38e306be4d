import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, runRanks, startRanks } from './run-ranks.js';

/** What every rank must hold after the worker's collectives, for `w` ranks (sums by hand). */
function expected(w: number) {
  const tri = (w * (w + 1)) / 2;
  return {
    // sum over ranks of (r+1)*0.5 + i
    f32sum: [0.5 * tri, 0.5 * tri + 1000 * w],
    f64mean: [0, 1, 2].map((i) => (10 * (w - 1)) / 2 + i),
    i32max: Array.from({ length: 7 }, (_, i) => (w - 1) * 100 + i),
    i32sum: [tri, -tri],
    u8bcast: w > 1 ? [42, 7] : [0, 7],
    allgather: Array.from({ length: w }, (_, r) => [r, r * r, 5]).flat(),
    bigsum: [w, w],
  };
}

describe('Gloo collectives across processes', () => {
  for (const w of [2, 3]) {
    it(`${w} ranks through the TCP store on rank 0: allreduce (sum, mean, max), broadcast, allgather, gather on odd sizes and every dtype`, async () => {
      const results = await runRanks(w, { MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(await freePort()) });
      for (const r of results) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.out).toMatchObject(expected(w));
      }
      const gather = results[0].out?.gather as number[];
      expect(gather).toEqual(Array.from({ length: w }, (_, r) => [r + 0.25, r === 0 ? 0 : -r]).flat());
      expect(results.slice(1).every((r) => r.out?.gather === null)).toBe(true);
    });
  }

  it("rendezvous through Gloo's FileStore in a shared folder", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloo-filestore-'));
    const results = await runRanks(2, { INIT_METHOD: `file://${dir}`, MASTER_PORT: '1' });
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.out).toMatchObject(expected(2));
    }
  });

  it("rendezvous through Gloo's RedisStore (a redis-server on loopback)", async (ctx) => {
    const redis = ['/usr/bin/redis-server', '/usr/sbin/redis-server'].find((p) => fs.existsSync(p));
    if (!redis) {
      console.warn('skipped: redis-server is not installed (apt-get install redis-server)');
      ctx.skip();
    }
    const port = await freePort();
    const server = spawn(redis!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    try {
      const results = await runRanks(2, { INIT_METHOD: `redis://127.0.0.1:${port}`, MASTER_PORT: '1', TRAINKIT_RUN_ID: `t${port}` });
      for (const r of results) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.out).toMatchObject(expected(2));
      }
    } finally {
      server.kill();
    }
  });

  it('a rank that exits makes the others fail at once with an error that names it', async () => {
    const results = await runRanks(3, { MASTER_PORT: String(await freePort()), DIE_RANK: '2', TIMEOUT_MS: '20000' });
    expect(results[2].code).toBe(9);
    for (const r of results.slice(0, 2)) {
      const after = r.out?.afterDeath as { message: string; seconds: number };
      expect(after.message).toMatch(new RegExp(`^rank ${r.rank} of 3: allreduce failed after .* s: rank 2 has exited`));
      expect(after.seconds).toBeLessThan(20);
    }
  });

  it('a rank that stalls makes the others fail after the timeout', async () => {
    // rank 1 sleeps two minutes instead of joining; rank 0 gives up after the 3 s timeout
    const { results, kill } = startRanks(2, { MASTER_PORT: String(await freePort()), STALL_RANK: '1', TIMEOUT_MS: '3000' });
    try {
      const r0 = await results[0];
      const after = r0.out?.afterDeath as { message: string; seconds: number };
      expect(after.message).toMatch(/^rank 0 of 2: allreduce failed after \d+\.\d s: another rank has stopped or is unreachable \(timeout 3 s/);
      expect(after.seconds).toBeGreaterThanOrEqual(2.9);
      expect(after.seconds).toBeLessThan(60);
    } finally {
      kill();
    }
  });
});
