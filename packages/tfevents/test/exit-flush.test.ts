import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SummaryWriter, readScalars } from '../src/index.js';
import { compileSource } from './helpers/compile-source.js';
import { tempDir } from './helpers/temp-dir.js';

let entry: string;
let libDir: string;

beforeAll(() => {
  // compiled once for the file; tempDir's cleanup runs after each test, so keep this one apart
  libDir = fs.mkdtempSync(path.join(path.dirname(tempDir()), 'tbwriter-lib-'));
  entry = compileSource(libDir);
  return () => fs.rmSync(libDir, { recursive: true, force: true });
});

/** Runs `body` in a child node process with `SummaryWriter` imported; `dir` is the log folder. */
function child(dir: string, body: string): { proc: ChildProcess; done: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const script = `import { SummaryWriter } from ${JSON.stringify(entry)};\nconst dir = ${JSON.stringify(dir)};\n${body}`;
  const file = path.join(dir, '..', `${path.basename(dir)}-child.mjs`);
  fs.writeFileSync(file, script);
  const proc = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, out })),
  );
  return { proc, done };
}

const LOG_1000 = `const w = new SummaryWriter(dir, { flushSecs: 3600 });
for (let i = 0; i < 1000; i++) w.addScalar('loss', i, i);`;

/** Waits until the child prints `ready`. */
function ready(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => proc.stdout!.on('data', (d) => String(d).includes('ready') && resolve()));
}

describe('flush on exit and on signals', () => {
  it('a process that ends without close() still writes everything (and the timer does not keep it alive)', async () => {
    const dir = tempDir();
    const { done } = child(dir, LOG_1000);
    expect((await done).code).toBe(0);
    expect((await readScalars(dir)).loss).toHaveLength(1000);
  });

  it('process.exit() writes everything', async () => {
    const dir = tempDir();
    const { done } = child(dir, `${LOG_1000}\nprocess.exit(3);`);
    expect((await done).code).toBe(3);
    expect((await readScalars(dir)).loss).toHaveLength(1000);
  });

  it('SIGTERM with no handler of the app: flushes, then the process still dies of the signal', async () => {
    const dir = tempDir();
    const { proc, done } = child(dir, `${LOG_1000}\nconsole.log('ready');\nsetInterval(() => {}, 1000);`);
    await ready(proc);
    proc.kill('SIGTERM');
    const r = await done;
    expect(r.signal).toBe('SIGTERM');
    expect((await readScalars(dir)).loss).toHaveLength(1000);
  });

  it("SIGINT with the app's own handler: flushes and leaves the decision to the app", async () => {
    const dir = tempDir();
    const body = `${LOG_1000}
import * as fs from 'node:fs';
process.on('SIGINT', () => {
  // the app keeps running (e.g. finishes its iteration) and reads a complete file
  console.log('app saw', fs.statSync(w.path).size === w.stats.bytes);
  setTimeout(() => process.exit(7), 20);
});
console.log('ready');
setInterval(() => {}, 1000);`;
    const { proc, done } = child(dir, body);
    await ready(proc);
    proc.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(7);
    expect(r.out).toContain('app saw true');
    expect((await readScalars(dir)).loss).toHaveLength(1000);
  });

  it('stops listening once every writer is closed', async () => {
    const listeners = () => ['exit', 'SIGINT', 'SIGTERM'].map((e) => process.listenerCount(e));
    const baseline = listeners();
    const a = new SummaryWriter(tempDir());
    const b = new SummaryWriter(tempDir());
    expect(listeners()).toEqual(baseline.map((n) => n + 1));
    await a.close();
    expect(listeners()).toEqual(baseline.map((n) => n + 1));
    await b.close();
    expect(listeners()).toEqual(baseline);
  });
});
