#!/usr/bin/env node
// Time from `trainkit train` (process spawn) to the end of the first training iteration, for the
// Fashion-MNIST MLP demo config on the default backend (target: under 1,000 ms), and the time of
// `trainkit --version` (target: under 300 ms). Medians; the load average is printed beside them,
// since on a shared machine it moves the figures more than most changes do.
//   pnpm build && node bench/startup.mjs [--runs 5]
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(import.meta.dirname, '..');
const cli = path.join(repo, 'packages/cli/bin/trainkit.js');
const example = path.join(repo, 'examples/fashion-mnist');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;

/** Spawns a training run and resolves with the ms until the first train log line appears. */
function timeToFirstIteration() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-startup-'));
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [cli, 'train', 'configs/mlp_fashion-mnist.ts', '--work-dir', workDir, '--cfg-options', 'default_hooks.logger.interval=1', 'train_cfg.max_epochs=1'],
      { cwd: example, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let done = false;
    const onData = (d) => {
      out += d;
      if (!done && /Epoch\(train\) \[1\]\[\s*1\//.test(out)) {
        done = true;
        const ms = performance.now() - t0;
        child.kill('SIGKILL');
        resolve(ms);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', () => {
      fs.rmSync(workDir, { recursive: true, force: true });
      if (!done) reject(new Error(`no train line:\n${out}`));
    });
  });
}

/** ms of one `trainkit --version`, spawn to exit. */
function versionTime() {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`trainkit --version failed:\n${r.stderr}`);
  return performance.now() - t0;
}

const times = [];
const versionTimes = [];
for (let i = 0; i < runs; i++) {
  times.push(await timeToFirstIteration());
  versionTimes.push(versionTime());
}
times.sort((a, b) => a - b);
versionTimes.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const versionMedian = versionTimes[Math.floor(versionTimes.length / 2)];
console.log(
  JSON.stringify({
    bench: 'startup',
    runs,
    median_ms: Math.round(median),
    min_ms: Math.round(times[0]),
    max_ms: Math.round(times[times.length - 1]),
    target_ms: 1000,
    version_median_ms: Math.round(versionMedian),
    version_target_ms: 300,
    loadavg: +os.loadavg()[0].toFixed(1),
    cpus: os.availableParallelism(),
  }),
);
console.log(
  `startup: trainkit train -> first iteration in ${Math.round(median)} ms (median of ${runs}; min ${Math.round(times[0])}, max ${Math.round(times[times.length - 1])}; target < 1000 ms); ` +
    `trainkit --version in ${Math.round(versionMedian)} ms (target < 300 ms); load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} CPUs`,
);
