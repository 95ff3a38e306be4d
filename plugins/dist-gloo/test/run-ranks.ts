import { type ChildProcess, spawn } from 'node:child_process';
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
  return { results, kill: () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')) };
}
