/**
 * Cost on the training path of WandbVisBackend: `addScalars` with 10 scalars per iteration, in
 * offline mode and in online mode against a minimal W&B stand-in on loopback (started here as a
 * child process), next to a disabled backend. The loop yields to the event loop every 100
 * iterations, as an async training loop does, so the background sender runs between them; only
 * the `addScalars` calls are timed. Sending the backlog at `close` is reported apart (it is off the
 * training path). Target: < 0.02 ms per iteration.
 *
 *   pnpm --filter @trainkit/core build && pnpm --filter @trainkit/vis-wandb build
 *   node bench/wandb.mjs [--iters 20000] [--rounds 5]
 *
 * Prints one JSON line, then one line for humans.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { iters: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '5' } } });
const ITERS = Number(values.iters);
const ROUNDS = Number(values.rounds);
const TARGET_MS = 0.02;

let core;
let wandb;
try {
  core = await import('../packages/core/dist/index.js');
  wandb = await import('../plugins/vis-wandb/dist/index.js');
} catch (e) {
  console.error(`wandb: ${e.message}\n  fix: pnpm --filter @trainkit/core build && pnpm --filter @trainkit/vis-wandb build`);
  process.exit(1);
}
core.getLogger().level = 'ERROR';

// Just enough of W&B's server for a run: login, run upsert, upload URLs, uploads, file_stream.
const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const send = (o) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(o)); };
    if (req.url !== '/graphql') return send({ exitcode: null, limits: {} });
    const q = JSON.parse(body); const v = q.variables || {};
    if (q.operationName === 'Viewer') return send({ data: { viewer: { id: '1', entity: 'bench', email: '' } } });
    if (q.operationName === 'UpsertBucket') return send({ data: { upsertBucket: { bucket: { id: 'b', name: v.name, displayName: 'bench', project: { name: v.project || 'uncategorized', entity: { name: 'bench' } }, historyLineCount: 0 }, inserted: true } } });
    if (q.operationName === 'CreateRunFiles') return send({ data: { createRunFiles: { uploadHeaders: [], files: v.files.map((name) => ({ name, uploadUrl: 'http://127.0.0.1:' + s.address().port + '/upload' })) } } });
    send({ data: {} });
  });
});
s.listen(0, '127.0.0.1', () => process.stdout.write('READY ' + s.address().port + '\\n'));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
const port = await new Promise((resolve) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /READY (\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
});

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-bench-wandb-'));
Object.assign(process.env, {
  WANDB_API_KEY: 'bench_key_0123456789abcdefghijklmnopqrstuvwxyz',
  WANDB_BASE_URL: `http://127.0.0.1:${port}`,
  NETRC: path.join(root, 'none'),
  WANDB_CONFIG_DIR: root,
});
// the machine's own W&B settings must not change what is measured
for (const name of ['WANDB_MODE', 'WANDB_DIR', 'WANDB_RUN_ID', 'WANDB_RESUME']) delete process.env[name];

// Distinct rows, built before timing: the caller (LoggerHook) builds its tag dict anyway.
const NAMES = ['loss', 'loss_cls', 'loss_bbox', 'acc', 'lr', 'grad_norm', 'time', 'data_time', 'memory', 'epoch'];
const rows = Array.from({ length: 1000 }, (_, i) => Object.fromEntries(NAMES.map((n, j) => [n, Math.sin(i * 10 + j) * 3 + 1e-3 * i])));

/**
 * Milliseconds per iteration spent in addScalars (wall clock, and CPU time of the process, which a
 * busy shared machine inflates less), and ms spent in close (sending the backlog).
 */
async function measure(mode) {
  const backend = new wandb.WandbVisBackend({ save_dir: fs.mkdtempSync(path.join(root, `${mode}-`)), init_kwargs: { mode, project: 'bench' } });
  await backend.start(); // the run is created (online: on the stand-in) before the timed loop
  let spent = 0n;
  let cpu = 0;
  for (let i = 0; i < ITERS; i += 100) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let k = i; k < i + 100; k++) backend.addScalars(rows[k % rows.length], k);
    spent += process.hrtime.bigint() - t0;
    const c = process.cpuUsage(c0);
    cpu += c.user + c.system;
    await new Promise((r) => setImmediate(r));
  }
  const c0 = process.hrtime.bigint();
  const u0 = process.cpuUsage();
  await backend.close();
  const closeMs = Number(process.hrtime.bigint() - c0) / 1e6;
  const u = process.cpuUsage(u0);
  const closeCpuMs = (u.user + u.system) / 1000;
  if (mode === 'online' && !backend.lastReport?.complete) throw new Error('the online run did not finish');
  return { perIter: Number(spent) / 1e6 / ITERS, cpuPerIter: cpu / 1000 / ITERS, closeMs, closeCpuMs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
try {
  for (const mode of ['disabled', 'offline', 'online']) {
    await measure(mode); // warm-up round
    const runs = [];
    for (let r = 0; r < ROUNDS; r++) runs.push(await measure(mode));
    results[mode] = {
      perIter: median(runs.map((x) => x.perIter)),
      cpuPerIter: median(runs.map((x) => x.cpuPerIter)),
      closeMs: median(runs.map((x) => x.closeMs)),
      closeCpuMs: median(runs.map((x) => x.closeCpuMs)),
    };
  }
} finally {
  server.stdin.end();
  server.kill();
  fs.rmSync(root, { recursive: true, force: true });
}

const worst = Math.max(results.offline.perIter, results.online.perIter);
const out = {
  bench: 'wandb',
  iters: ITERS,
  rounds: ROUNDS,
  scalars_per_iter: NAMES.length,
  offline_ms_per_iter: +results.offline.perIter.toFixed(5),
  online_ms_per_iter: +results.online.perIter.toFixed(5),
  offline_cpu_ms_per_iter: +results.offline.cpuPerIter.toFixed(5),
  online_cpu_ms_per_iter: +results.online.cpuPerIter.toFixed(5),
  disabled_ms_per_iter: +results.disabled.perIter.toFixed(5),
  online_close_ms: +results.online.closeMs.toFixed(1),
  online_send_ms_per_iter: +(results.online.closeMs / ITERS).toFixed(5),
  online_send_cpu_ms_per_iter: +(results.online.closeCpuMs / ITERS).toFixed(5),
  target_ms_per_iter: TARGET_MS,
  pass: worst < TARGET_MS,
  node: process.version,
  cpu: os.cpus()[0]?.model,
  cores: os.cpus().length,
  load_avg_1m: +os.loadavg()[0].toFixed(2),
};
console.log(JSON.stringify(out));
console.log(
  `WandbVisBackend.addScalars, ${NAMES.length} scalars/iter: offline ${out.offline_ms_per_iter} ms/iter (CPU ${out.offline_cpu_ms_per_iter}), ` +
    `online ${out.online_ms_per_iter} ms/iter (CPU ${out.online_cpu_ms_per_iter}), disabled ${out.disabled_ms_per_iter}; ` +
    `sending ${ITERS} rows at close took ${out.online_close_ms} ms (${out.online_send_cpu_ms_per_iter} ms CPU per row) off the training path; ` +
    `load ${out.load_avg_1m} on ${out.cores} cores; ` +
    `target < ${TARGET_MS} ms/iter: ${out.pass ? 'met' : 'NOT met'}`,
);
