import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRanks } from './run-ranks.js';

/**
 * Two "hosts": Linux network namespaces joined by a veth pair (10.77.x.1 and 10.77.x.2), one rank
 * in each, meeting at rank 0's address as on two machines. Needs root and iproute2 (CI has both).
 */
const tag = String(process.pid % 10000);
const [nsA, nsB] = [`tkA${tag}`, `tkB${tag}`];
const subnet = `10.77.${process.pid % 250}`;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

let unavailable: string | undefined;

beforeAll(() => {
  try {
    ip('netns', 'add', nsA);
    ip('netns', 'add', nsB);
    ip('link', 'add', `vA${tag}`, 'type', 'veth', 'peer', 'name', `vB${tag}`);
    ip('link', 'set', `vA${tag}`, 'netns', nsA);
    ip('link', 'set', `vB${tag}`, 'netns', nsB);
    for (const [ns, dev, addr] of [
      [nsA, `vA${tag}`, `${subnet}.1/24`],
      [nsB, `vB${tag}`, `${subnet}.2/24`],
    ]) {
      ip('-n', ns, 'addr', 'add', addr, 'dev', dev);
      ip('-n', ns, 'link', 'set', dev, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
  } catch (e) {
    unavailable = `network namespaces cannot be set up here (needs root and iproute2): ${((e as { stderr?: Buffer }).stderr ?? '').toString().trim() || (e as Error).message}`;
  }
});

afterAll(() => {
  for (const ns of [nsA, nsB]) {
    try {
      ip('netns', 'del', ns);
    } catch {}
  }
});

describe('two hosts in network namespaces joined by a veth pair', () => {
  it('rank 0 on host A hosts the rendezvous; rank 1 on host B joins over the veth link; the collectives agree', async (ctx) => {
    if (unavailable) {
      console.warn(`skipped: ${unavailable}`);
      ctx.skip();
    }
    const results = await runRanks(2, { MASTER_ADDR: `${subnet}.1`, MASTER_PORT: '29591', TIMEOUT_MS: '30000' }, (rank) => [
      'ip',
      'netns',
      'exec',
      rank === 0 ? nsA : nsB,
    ]);
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.out).toMatchObject({ f32sum: [1.5, 2001.5], i32sum: [3, -3], allgather: [0, 0, 5, 1, 1, 5], bigsum: [2, 2] });
    }
  });
});
