/**
 * Ctrl-C in the middle of a run: a child process trains (TypeScript sources through tsx), gets
 * SIGINT once logs are flowing, and must stop after the current iteration leaving every log
 * complete and parseable.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempDir } from '@trainkit/core/testing';
import { expect, it } from 'vitest';
import { readJsonLines } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// tsx is core's dependency: resolve it from there
const coreDir = fs.realpathSync(path.join(here, '..', 'node_modules', '@trainkit', 'core'));
const tsxLoader = path.join(path.dirname(createRequire(path.join(coreDir, 'package.json')).resolve('tsx/package.json')), 'dist', 'loader.mjs');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('leaves complete, parseable logs when a run is stopped with SIGINT', async () => {
  const workDir = tempDir('trainkit-sigint-');
  const child = spawn(
    process.execPath,
    ['--conditions=@trainkit/source', '--import', pathToFileURL(tsxLoader).href, path.join(here, 'fixtures', 'sigint-child.ts'), workDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  // a full pipe would block the child: keep reading
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const deadline = Date.now() + 45_000;
  let logDir: string | undefined;
  let trainLines = 0;
  while (Date.now() < deadline) {
    logDir ??= /READY (.*)\n/.exec(stdout)?.[1];
    if (logDir) trainLines = readJsonLines(path.join(logDir, 'vis_data', 'scalars.json')).filter((j) => 'loss' in j).length;
    if (trainLines >= 30) break;
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  expect(trainLines, `child did not train:\n${stderr}`).toBeGreaterThanOrEqual(30);
  child.kill('SIGINT');
  const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout')]);
  if (code === 'timeout') child.kill('SIGKILL');
  expect(code, stderr).toBe(130);

  const ts = path.basename(logDir!);
  const log = fs.readFileSync(path.join(logDir!, `${ts}.log`), 'utf8');
  expect(log.endsWith('\n')).toBe(true);
  const lines = log.split('\n').slice(0, -1);
  const stopAt = lines.findIndex((l) => l.includes('Received SIGINT: stopping after the current iteration'));
  expect(stopAt).toBeGreaterThan(0);
  // the loop stopped after the iteration that was running
  expect(lines.slice(stopAt).filter((l) => l.includes('Epoch(train)'))).toEqual([]);

  const json = readJsonLines(path.join(logDir!, 'vis_data', `${ts}.json`));
  expect(readJsonLines(path.join(logDir!, 'vis_data', 'scalars.json'))).toEqual(json);
  const train = json.filter((j) => 'loss' in j);
  // interval 1: one line per iteration, steps 1..n, each with its text line
  expect(train.map((j) => j.step)).toEqual(train.map((_, i) => i + 1));
  expect(lines.filter((l) => l.includes(' - INFO - Epoch(train)'))).toHaveLength(train.length);
  const val = json.filter((j) => 'toy/acc' in j);
  expect(val.map((j) => j.step)).toEqual(val.map((_, i) => i + 1));
});
