/**
 * Data-parallel costs on this host:
 *  1. allreduce (sum, float32) latency and bandwidth from 1 KiB to 64 MiB with 2 and 4 processes
 *     (medians of --rounds runs)
 *     through @trainkit/dist-gloo, next to PyTorch's torch.distributed with the gloo backend on the
 *     same sizes in the same run (Debian's python3-torch; skipped with a message when absent);
 *  2. what data parallelism adds to a step of the Fashion-MNIST MLP and CNN, in two parts:
 *     trainkit's own work (reading the gradients into buckets, writing the averages back: core's
 *     DDP reducer in a group of one, where the all-reduce has nothing to exchange, so no wait for
 *     another process blurs it) and the whole reducer on 2 ranks, all-reduce included;
 *  3. ms per training step of both models (wasm backend, one thread per worker, batch 64 per
 *     worker, real data) with 1 and 2 workers through the CLI launcher. The 1-worker run is pinned
 *     to one core (taskset) as each of the 2 workers has one: otherwise it gets V8's GC threads on
 *     the idle core for free. The difference also holds the ranks' wait for the slower one.
 *
 *   pnpm build && node bench/dist.mjs [--no-sweep] [--no-torch] [--no-train] [--rounds 3] [--python /usr/bin/python3]
 *
 * --no-sweep skips part 1, --no-train part 3. Prints one JSON line, then lines for humans. The machine may be shared: run it when idle.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values: flags } = parseArgs({
  options: {
    worker: { type: 'boolean', default: false },
    'no-torch': { type: 'boolean', default: false },
    'no-train': { type: 'boolean', default: false },
    'no-sweep': { type: 'boolean', default: false },
    'reducer-worker': { type: 'string' },
    python: { type: 'string' },
    steps: { type: 'string', default: '60' },
    rounds: { type: 'string', default: '3' },
  },
});
const SIZES = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536].map((k) => k * 1024);
/** Enough repetitions for a stable mean, bounded by ~128 MiB moved per size. */
const reps = (bytes) => Math.max(5, Math.min(200, Math.floor((128 * 2 ** 20) / bytes)));

const load = (p) => import(pathToFileURL(path.join(root, p)).href);

/** This worker's rank in the group runGroup started (RANK, WORLD_SIZE, MASTER_PORT). */
async function joinGroup() {
  const { connectGloo } = await load('plugins/dist-gloo/dist/index.js');
  const rank = Number(process.env.RANK);
  return connectGloo({
    rank,
    worldSize: Number(process.env.WORLD_SIZE),
    localRank: rank,
    masterAddr: '127.0.0.1',
    masterPort: Number(process.env.MASTER_PORT),
    timeoutMs: 120_000,
    initMethod: 'env://',
  });
}

if (flags.worker) {
  // one rank of the trainkit allreduce sweep
  const group = await joinGroup();
  const { rank } = group;
  const out = {};
  for (const bytes of SIZES) {
    const buf = new Float32Array(bytes / 4).fill(1);
    for (let i = 0; i < 3; i++) await group.allReduce(buf, 'sum');
    await group.barrier();
    const n = reps(bytes);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await group.allReduce(buf, 'sum');
    out[bytes] = Number(process.hrtime.bigint() - t0) / 1e6 / n;
  }
  await group.close();
  if (rank === 0) console.log(JSON.stringify(out));
  process.exit(0);
}

/** Parameter shapes of the bench's models (LayersClassifier adds the 10-way head). */
const MODEL_SHAPES = {
  mlp: [[784, 256], [256], [256, 128], [128], [128, 10], [10]],
  cnn: [[3, 3, 1, 32], [32], [3, 3, 32, 64], [64], [1600, 10], [10]],
};

if (flags['reducer-worker']) {
  // one rank: core's DDP reducer on gradients of the model's shapes vs the bare all-reduce
  const core = { ...(await load('packages/core/dist/index.js')), ...(await load('packages/core/dist/public/backend.js')) };
  await load('plugins/backend-wasm/dist/index.js');
  const { ddpGradientReducer } = await load('packages/core/dist/dist/ddp-reducer.js');
  const tf = createRequire(path.join(root, 'packages/core/package.json'))('@tensorflow/tfjs');
  core.getLogger().level = 'WARNING';
  await core.setupBackend({ backend: 'wasm', num_threads: 1 });
  const group = await joinGroup();
  const { rank } = group;
  const grads = MODEL_SHAPES[flags['reducer-worker']].map((s) => tf.randomNormal(s));
  const reducer = ddpGradientReducer(group, 25 * 2 ** 20, { requested: () => false, request() {} });
  const flat = new Float32Array(grads.reduce((n, g) => n + g.size, 0) + 1);
  const n = 200;
  const time = async (fn) => {
    for (let i = 0; i < 10; i++) await fn();
    await group.barrier();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return (performance.now() - t0) / n;
  };
  const out = {};
  // alternate so drift in the machine's load hits both alike
  for (let round = 0; round < 3; round++) {
    (out.reduce_ms ??= []).push(await time(async () => tf.dispose(await reducer.reduce(grads))));
    (out.allreduce_ms ??= []).push(await time(() => group.allReduce(flat, 'sum')));
  }
  const tensorsLeft = tf.memory().numTensors - grads.length;
  await group.close();
  if (rank === 0) console.log(JSON.stringify({ ...out, bytes: flat.byteLength, tensorsLeft }));
  process.exit(0);
}

const TORCH = `
import os, sys, time, json, torch, torch.distributed as dist
rank, world, port = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sizes = json.loads(sys.argv[4])
torch.set_num_threads(1)
dist.init_process_group('gloo', init_method='tcp://127.0.0.1:' + port, rank=rank, world_size=world)
out = {}
for nbytes in sizes:
    t = torch.ones(nbytes // 4, dtype=torch.float32)
    for _ in range(3): dist.all_reduce(t)
    dist.barrier()
    n = max(5, min(200, (128 * 2**20) // nbytes))
    t0 = time.perf_counter()
    for _ in range(n): dist.all_reduce(t)
    out[nbytes] = (time.perf_counter() - t0) * 1000 / n
dist.destroy_process_group()
if rank == 0: print(json.dumps(out))
`;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts `n` processes (`cmd(rank, port)`), returns rank 0's last stdout line as JSON. */
async function runGroup(n, cmd) {
  const port = await freePort();
  const runs = Array.from({ length: n }, (_, rank) => {
    const [file, ...args] = cmd(rank, port);
    const child = spawn(file, args, {
      env: { ...process.env, RANK: String(rank), WORLD_SIZE: String(n), MASTER_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    return new Promise((resolve, reject) =>
      child.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`rank ${rank} exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`)),
      ),
    );
  });
  const outs = await Promise.all(runs);
  return JSON.parse(outs[0].trim().split('\n').pop());
}

function findTorchPython() {
  if (flags['no-torch']) return { skipped: '--no-torch' };
  const candidates = flags.python ? [flags.python] : ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch.distributed as d; assert d.is_gloo_available()'], { encoding: 'utf8' });
    if (probe.status === 0) return { python };
  }
  return { skipped: `no python with torch.distributed (gloo) among ${candidates.join(', ')}: apt-get install python3-torch` };
}

const result = { host: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, allreduce: {}, reducer: {}, train: {} };
const torch = findTorchPython();
if (torch.skipped) console.error(`torch: skipped (${torch.skipped})`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// trainkit and torch alternate over the rounds, so a change in the machine's load hits both
for (const n of flags['no-sweep'] ? [] : [2, 4]) {
  const tk = [];
  const th = [];
  for (let round = 0; round < Number(flags.rounds); round++) {
    tk.push(await runGroup(n, () => [process.execPath, fileURLToPath(import.meta.url), '--worker']));
    if (torch.python) th.push(await runGroup(n, (rank, port) => [torch.python, '-c', TORCH, String(rank), String(n), String(port), JSON.stringify(SIZES)]));
  }
  result.allreduce[n] = SIZES.map((bytes) => ({
    bytes,
    trainkit_ms: median(tk.map((r) => r[bytes])),
    torch_ms: th.length ? median(th.map((r) => r[bytes])) : undefined,
  }));
}

/** The DDP reducer per model, alone (own work) and on 2 ranks: medians of the alternating rounds. */
for (const model of Object.keys(MODEL_SHAPES)) {
  const runs = {};
  for (const n of [1, 2]) {
    const r = await runGroup(n, () => [process.execPath, fileURLToPath(import.meta.url), '--reducer-worker', model]);
    if (r.tensorsLeft !== 0) throw new Error(`reducer bench: ${r.tensorsLeft} tensors left behind`);
    runs[n] = r;
  }
  result.reducer[model] = {
    bytes: runs[2].bytes,
    own_ms: median(runs[1].reduce_ms),
    reduce_ms: median(runs[2].reduce_ms),
    allreduce_ms: median(runs[2].allreduce_ms),
  };
}

/** One core for the 1-worker run, as each of 2 workers has (Linux taskset; unpinned elsewhere). */
const pinOne = spawnSync('taskset', ['-c', '0', 'true']).status === 0 ? ['taskset', '-c', '0'] : [];

/** ms per step from the last logged `time:` (the mean over the log window) of a CLI run. */
async function stepMs(model, workers) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dist-'));
  const steps = Number(flags.steps);
  const example = path.join(root, 'examples/fashion-mnist');
  const layers =
    model === 'mlp'
      ? [
          { type: 'flatten', input_shape: [28, 28, 1] },
          { type: 'dense', units: 256, activation: 'relu' },
          { type: 'dense', units: 128, activation: 'relu' },
        ]
      : [
          { type: 'conv2d', filters: 32, kernel_size: 3, activation: 'relu', input_shape: [28, 28, 1] },
          { type: 'max_pooling2d', pool_size: 2 },
          { type: 'conv2d', filters: 64, kernel_size: 3, activation: 'relu' },
          { type: 'max_pooling2d', pool_size: 2 },
          { type: 'flatten' },
        ];
  const config = path.join(dir, 'cfg.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      custom_imports: { imports: [path.join(example, 'src/index.ts'), '@trainkit/backend-wasm', '@trainkit/dist-gloo'] },
      work_dir: path.join(dir, 'work'),
      data_preprocessor: { scale: 1 / 255, mean: [0.286], std: [0.353] },
      model: { type: 'LayersClassifier', layers, num_classes: 10 },
      train_dataloader: {
        batch_size: 64,
        sampler: { type: 'DefaultSampler', shuffle: true },
        dataset: { type: 'FashionMNIST', data_root: path.join(example, 'data'), split: 'train', max_samples: 64 * workers * steps },
      },
      train_cfg: { by_epoch: true, max_epochs: 1 },
      optim_wrapper: { optimizer: { type: 'SGD', lr: 0.01, momentum: 0.9 } },
      default_hooks: { logger: { type: 'LoggerHook', interval: steps }, checkpoint: null },
      log_processor: { window_size: steps - 5 },
      env_cfg: { backend: 'wasm', num_threads: 1 },
      randomness: { seed: 0 },
    }),
  );
  const launch = workers > 1 ? ['--nproc-per-node', String(workers), '--master-port', String(await freePort())] : [];
  const [file, ...pre] = workers === 1 && pinOne.length ? [...pinOne, process.execPath] : [process.execPath];
  const r = spawnSync(file, [...pre, path.join(root, 'packages/cli/bin/trainkit.js'), 'train', config, ...launch], {
    cwd: path.join(root, 'bench'),
    encoding: 'utf8',
  });
  const times = [...r.stdout.matchAll(/\btime: (\d+\.\d+)/g)].map((m) => Number(m[1]));
  if (r.status !== 0 || !times.length) throw new Error(`${model} with ${workers} worker(s) failed: ${(r.stderr || r.stdout).slice(-800)}`);
  return times.at(-1) * 1000;
}
if (!flags['no-train']) {
  for (const model of ['mlp', 'cnn']) {
    result.train[model] = { w1_ms: await stepMs(model, 1), w2_ms: await stepMs(model, 2) };
  }
}

console.log(JSON.stringify(result));
const mib = (b) => (b >= 2 ** 20 ? `${b / 2 ** 20} MiB` : `${b / 1024} KiB`);
const gbs = (bytes, ms) => (ms ? ((bytes / ms) * 1e3) / 1e9 : Number.NaN);
for (const [n, rows] of Object.entries(result.allreduce)) {
  console.log(`\nallreduce float32 sum, ${n} processes on ${result.host.cpus} cores (ms per call, algorithm bandwidth GB/s):`);
  console.log(
    `${'size'.padStart(9)} ${'trainkit ms'.padStart(12)} ${'GB/s'.padStart(7)} ${'torch ms'.padStart(10)} ${'GB/s'.padStart(7)} ${'ratio'.padStart(6)}`,
  );
  for (const r of rows) {
    const ratio = r.torch_ms ? (gbs(r.bytes, r.trainkit_ms) / gbs(r.bytes, r.torch_ms)).toFixed(2) : '-';
    console.log(
      `${mib(r.bytes).padStart(9)} ${r.trainkit_ms.toFixed(3).padStart(12)} ${gbs(r.bytes, r.trainkit_ms).toFixed(3).padStart(7)} ${(r.torch_ms?.toFixed(3) ?? '-').padStart(10)} ${(r.torch_ms ? gbs(r.bytes, r.torch_ms).toFixed(3) : '-').padStart(7)} ${ratio.padStart(6)}`,
    );
  }
}
console.log("\nwhat data parallelism adds to a step, 2 ranks (target for the CNN: trainkit's own work < 10% of the step):");
for (const [model, r] of Object.entries(result.reducer)) {
  const own = r.own_ms;
  const step = result.train[model]?.w1_ms;
  const share = (ms) => (step ? ` = ${((ms / step) * 100).toFixed(1)}% of the 1-worker step` : '');
  console.log(
    `${model}: ${(r.bytes / 2 ** 20).toFixed(2)} MiB of gradients; trainkit's own work (reads, bucketing, writes; one rank) ${own.toFixed(2)} ms${share(own)}; the reducer on 2 ranks ${r.reduce_ms.toFixed(2)} ms${share(r.reduce_ms)} (a bare all-reduce of those bytes: ${r.allreduce_ms.toFixed(2)} ms)`,
  );
}
for (const [model, t] of Object.entries(result.train)) {
  console.log(
    `${model}: ${t.w1_ms.toFixed(1)} ms/step with 1 worker${pinOne.length ? ' (one core)' : ''}, ${t.w2_ms.toFixed(1)} ms/step with 2 (batch 64 per worker): +${(((t.w2_ms - t.w1_ms) / t.w1_ms) * 100).toFixed(1)}% (the reducer, plus each step waiting for the slower rank)`,
  );
}
