import { type ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

export const WORKER = path.join(import.meta.dirname, 'fixtures', 'collectives-worker.mjs');

export interface RankResult {
  rank: number;
  code: number | null;
  out: Record<string, unknown> | undefined;
  stderr: string;
}

/**
 * Starts `worldSize` processes of the collectives worker with torchrun's variables (plus `env`),
 * optionally each under a command prefix (`ip netns exec ns0`), and collects what each printed.
 */
export function runRanks(worldSize: number, env: Record<string, string>, prefix: (rank: number) => string[] = () => []): Promise<RankResult[]> {
  return Promise.all(startRanks(worldSize, env, prefix).results);
}

/** The ranks' results one by one, and a way to end the ones still running. */
export function startRanks(
  worldSize: number,
  env: Record<string, string>,
  prefix: (rank: number) => string[] = () => [],
): { results: Promise<RankResult>[]; kill: () => void } {
  const children: ChildProcess[] = [];
  const results = Array.from({ length: worldSize }, (_, rank) => {
    const cmd = [...prefix(rank), process.execPath, WORKER];
    const child = spawn(cmd[0], cmd.slice(1), {
      env: { ...process.env, RANK: String(rank), WORLD_SIZE: String(worldSize), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    return new Promise<RankResult>((resolve) =>
      child.on('close', (code) => {
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        resolve({ rank, code, out: line ? JSON.parse(line) : undefined, stderr });
      }),
    );
  });
  const kill = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  };
  return { results, kill };
}

/** A free TCP port on loopback for a rendezvous. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
