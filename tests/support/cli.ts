import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(REPO, 'packages/cli/bin/trainkit.js');
export const EXAMPLE = path.join(REPO, 'examples/fashion-mnist');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `trainkit` CLI as a user would (a child process). */
export function startCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { child: ChildProcess; done: Promise<CliResult>; output: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? EXAMPLE,
    env: { ...process.env, VITEST: undefined, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, output: () => stdout + stderr };
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

export function tempDir(prefix = 'trainkit-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Resolves when `predicate(output)` holds (polling), or rejects after `timeoutMs`. */
export async function waitFor(output: () => string, predicate: (text: string) => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!predicate(output())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The run folders (timestamped) in a work dir, oldest first. */
export function runFolders(workDir: string): string[] {
  return fs
    .readdirSync(workDir)
    .filter((f) => /^\d{8}_\d{6}/.test(f) && fs.statSync(path.join(workDir, f)).isDirectory())
    .sort()
    .map((f) => path.join(workDir, f));
}
