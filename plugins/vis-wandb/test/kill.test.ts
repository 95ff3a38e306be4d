import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as wandbSync } from '../src/cli/wandb-sync.js';
import { tempDir } from './support/env.js';
import { parseLenientJson } from './support/lenient-json.js';
import { nodeTsxArgs } from './support/node-tsx.js';
import { useStandin } from './support/standin-suite.js';

const standin = useStandin();

/** Waits for a line starting with `prefix` on the child's stdout. */
function waitFor(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString();
      const line = text.split('\n').find((l) => l.startsWith(prefix));
      if (line) {
        child.stdout?.off('data', onData);
        resolve(line.slice(prefix.length).trim());
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before "${prefix}"`)));
  });
}

async function childRun(ending: 'kill' | 'exit'): Promise<string> {
  const script = path.join(import.meta.dirname, 'support', 'child-run.ts');
  const child = spawn(process.execPath, [...nodeTsxArgs(script), tempDir(), ending], { stdio: ['pipe', 'pipe', 'inherit'], env: process.env });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const runDir = await waitFor(child, 'FIRST ');
  // the first 30 rows are on the server; now it fails, so the rest stays in the run log only
  await standin.faults([{ target: 'any', kind: 'status', status: 503 }]);
  child.stdin?.write('go\n');
  if (ending === 'kill') {
    await waitFor(child, 'LOGGED');
    child.kill('SIGKILL');
  }
  const code = await exited;
  if (ending === 'exit') expect(code).toBe(5);
  await standin.faults([]);
  return runDir;
}

async function expectSynced(runDir: string, exitCode: number): Promise<void> {
  const before = await standin.state();
  const runKey = Object.keys(before.runs)[0];
  expect(before.runs[runKey].files['wandb-history.jsonl'].length).toBeLessThan(70);

  const out: string[] = [];
  expect(await wandbSync([runDir], { out: (t) => out.push(t), err: (t) => out.push(t) })).toBe(0);
  const state = await standin.state();
  expect(state.violations).toEqual([]);
  const run = state.runs[runKey];
  const history = run.files['wandb-history.jsonl'].map((l) => parseLenientJson(l) as Record<string, unknown>);
  expect(history.map((r) => r._step)).toEqual([...Array(71).keys()]);
  expect(history.slice(0, 70).map((r) => r.i)).toEqual([...Array(70).keys()]);
  const image = history[70].img as { path: string; sha256: string };
  expect(state.uploads.find((u) => u.name === image.path)?.sha256).toBe(image.sha256);
  expect(run.files['output.log'].at(-1)).toMatch(/ logged before the end$/);
  expect(run.exitcode).toBe(exitCode);
  expect(run.completes).toBe(1);

  // a second sync has nothing to do
  out.length = 0;
  expect(await wandbSync([runDir], { out: (t) => out.push(t), err: (t) => out.push(t) })).toBe(0);
  expect(out.join('')).toMatch(/^skipped .*already synced/m);
}

describe('a killed run', () => {
  it('SIGKILL: a later wandb-sync sends everything logged before the kill, once', async () => {
    const runDir = await childRun('kill');
    // no exit record: finished as failed, like `wandb sync` does
    await expectSynced(runDir, 1);
  });

  it('process.exit without close: the exit code is kept in the log and synced', async () => {
    const runDir = await childRun('exit');
    await expectSynced(runDir, 5);
  });
});
