/**
 * How fast @trainkit/tfevents takes scalars, and how long a training step waits on it.
 *
 *   pnpm --filter @trainkit/tfevents build && node bench/tfevents.mjs
 *
 * Prints one JSON line and one human line. Throughput counts scalars from the first add to the
 * file being closed (all bytes written). The step wait is the time inside the logging call of a
 * simulated training loop (1 ms of compute per step, an await between steps as in trainkit's
 * loops, 8 scalars logged every step), next to the median step time with and without logging.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

const dist = new URL('../packages/tfevents/dist/index.js', import.meta.url);
if (!fs.existsSync(dist)) {
  console.error('bench/tfevents.mjs: build the package first: pnpm --filter @trainkit/tfevents build');
  process.exit(1);
}
const { SummaryWriter, nativeCrc32cAvailable } = await import(dist.href);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tb-'));
const now = () => Number(process.hrtime.bigint()) / 1e3; // microseconds

/** Scalars per second, one `addScalar` per scalar, yielding to the event loop now and then. */
async function throughputSingle(n) {
  const w = new SummaryWriter(path.join(root, `single-${n}`));
  const tags = ['train/loss', 'train/lr', 'train/grad_norm', 'train/acc'];
  const t0 = now();
  for (let i = 0; i < n; i++) {
    w.addScalar(tags[i & 3], i * 1e-6, i);
    if ((i & 0xffff) === 0) await yieldToLoop();
  }
  await w.close();
  const secs = (now() - t0) / 1e6;
  return { perSec: n / secs, bytesPerScalar: (w.stats.bytes - 40) / n };
}

/** Scalars per second, 8 per `addScalars` call (what a logger hook does each iteration). */
async function throughputBatched(n) {
  const w = new SummaryWriter(path.join(root, `batched-${n}`));
  const row = { loss: 0, lr: 0, grad_norm: 0, acc: 0, data_time: 0, time: 0, memory: 0, loss_cls: 0 };
  const t0 = now();
  for (let i = 0; i < n / 8; i++) {
    row.loss = i * 1e-6;
    w.addScalars(row, i);
    if ((i & 0x1fff) === 0) await yieldToLoop();
  }
  await w.close();
  return n / ((now() - t0) / 1e6);
}

function busy(us) {
  const end = now() + us;
  while (now() < end);
}

/**
 * A simulated training loop. Returns the time of each logging call and of each whole step
 * (await, compute, logging), in µs.
 */
async function trainingLoop(steps, log) {
  const w = log ? new SummaryWriter(path.join(root, `loop-${steps}-${Math.random()}`), { flushSecs: 0.05 }) : undefined;
  const waits = [];
  const stepTimes = [];
  for (let step = 0; step < steps; step++) {
    const s = now();
    await yieldToLoop();
    busy(1000);
    if (w) {
      const a = now();
      w.addScalars({ loss: 1 / (step + 1), lr: 0.1, grad_norm: 2, acc: 0.5, data_time: 0.01, time: 0.1, memory: 512, loss_cls: 0.3 }, step);
      waits.push(now() - a);
    }
    stepTimes.push(now() - s);
  }
  await w?.close();
  return { waits, stepTimes };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

try {
  await throughputSingle(200_000); // warm-up
  const single = await throughputSingle(2_000_000);
  const batched = await throughputBatched(4_000_000);
  await trainingLoop(200, true); // warm-up
  // alternate runs with and without the writer so that noise on shared cores hits both alike
  const waits = [];
  const stepWith = [];
  const stepWithout = [];
  for (let round = 0; round < 4; round++) {
    stepWithout.push(...(await trainingLoop(500, false)).stepTimes);
    const r = await trainingLoop(500, true);
    waits.push(...r.waits);
    stepWith.push(...r.stepTimes);
  }
  for (const a of [waits, stepWith, stepWithout]) a.sort((x, y) => x - y);
  const result = {
    bench: 'tfevents',
    scalars_per_s: Math.round(single.perSec),
    scalars_per_s_batched: Math.round(batched),
    bytes_per_scalar: Number(single.bytesPerScalar.toFixed(1)),
    step_wait_us_p50: Number(pct(waits, 50).toFixed(2)),
    step_wait_us_p99: Number(pct(waits, 99).toFixed(2)),
    step_wait_us_max: Number(waits[waits.length - 1].toFixed(2)),
    step_us_median_without_writer: Number(pct(stepWithout, 50).toFixed(1)),
    step_us_median_with_writer: Number(pct(stepWith, 50).toFixed(1)),
    native_crc32c: nativeCrc32cAvailable,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
  };
  console.log(JSON.stringify(result));
  console.log(
    `tfevents: ${(result.scalars_per_s / 1e6).toFixed(2)}M scalars/s one per call, ${(result.scalars_per_s_batched / 1e6).toFixed(2)}M/s eight per call ` +
      `(${result.bytes_per_scalar} B each); a 1 ms training step waits ${result.step_wait_us_p50} µs median, ${result.step_wait_us_p99} µs p99 ` +
      `on the writer (median step ${result.step_us_median_without_writer} µs without it, ${result.step_us_median_with_writer} µs with it)`,
  );
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
