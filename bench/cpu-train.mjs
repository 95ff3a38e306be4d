/**
 * CPU training speed: ms per step and images/s for a Fashion-MNIST-shaped MLP (784-256-10) and
 * CNN (conv 3x3x32, max-pool, conv 3x3x64, max-pool, dense 10; 28x28x1), batch 64, trained with
 * trainkit's step (core's softmax cross-entropy as LayersClassifier computes it, gradients,
 * @trainkit/optim's SGD with momentum 0.9) on tfjs's wasm backend (@trainkit/backend-wasm) and,
 * for reference, on tfjs's cpu backend, next to PyTorch on the same CPU measured in the same run
 * (skipped when `python3 -c "import torch"` fails). One thread everywhere unless --threads says
 * otherwise. Random data of the right shapes: the speed does not depend on the values.
 *
 * On wasm the step runs with the fused kernels (backend_options.fused_kernels, the default) and
 * without them (the composite ops), alternating over --rounds rounds so a shared machine's load
 * hits both alike; each prints its median and its kernels per step (tf.profile's count).
 * Targets: both steps within 2x of PyTorch's.
 *
 *   pnpm --filter @trainkit/core --filter @trainkit/backend-wasm --filter @trainkit/optim build
 *   node bench/cpu-train.mjs [--steps 20] [--rounds 4] [--cpu-steps 1] [--no-cpu] [--no-torch] [--threads 1] [--python python3]
 *   node bench/cpu-train.mjs --profile   # also: where one wasm CNN step spends its time, per kernel (stderr)
 *
 * Prints one JSON line, then one line for humans.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pluginDir = path.join(root, 'plugins', 'backend-wasm');
const require = createRequire(path.join(pluginDir, 'package.json'));

const { values: flags } = parseArgs({
  options: {
    steps: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '4' },
    'cpu-steps': { type: 'string', default: '1' },
    threads: { type: 'string', default: '1' },
    'no-cpu': { type: 'boolean', default: false },
    'no-torch': { type: 'boolean', default: false },
    python: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const args = {
  steps: positive('--steps', flags.steps),
  rounds: positive('--rounds', flags.rounds),
  cpuSteps: positive('--cpu-steps', flags['cpu-steps']),
  threads: positive('--threads', flags.threads),
  cpu: !flags['no-cpu'],
  torch: !flags['no-torch'],
};
const BATCH = 64;
const WARMUP = 3;

let core;
let tasks;
let wasmPlugin;
let optim;
try {
  const coreDist = path.join(root, 'packages', 'core', 'dist');
  core = {
    ...(await import(pathToFileURL(path.join(coreDist, 'index.js')).href)),
    ...(await import(pathToFileURL(path.join(coreDist, 'public', 'backend.js')).href)),
  };
  tasks = await import(pathToFileURL(path.join(root, 'plugins', 'tasks', 'dist', 'index.js')).href);
  wasmPlugin = await import(pathToFileURL(path.join(pluginDir, 'dist', 'index.js')).href);
  optim = await import(pathToFileURL(path.join(root, 'plugins', 'optim', 'dist', 'index.js')).href);
} catch (e) {
  console.error(`cpu-train: ${e.message}\n  fix: pnpm --filter @trainkit/core --filter @trainkit/backend-wasm --filter @trainkit/optim build`);
  process.exit(1);
}
const tf = require('@tensorflow/tfjs');
core.getLogger().level = 'WARNING';
tf.enableProdMode(); // no "install tfjs-node" banner from the cpu backend

/** The same two networks in trainkit's layer specs and in PyTorch (below). */
const MODELS = {
  mlp: {
    input: [784],
    layers: [
      { type: 'dense', units: 256, activation: 'relu', input_shape: [784] },
      { type: 'dense', units: 10 },
    ],
  },
  cnn: {
    input: [28, 28, 1],
    layers: [
      { type: 'conv2d', filters: 32, kernel_size: 3, activation: 'relu', input_shape: [28, 28, 1] },
      { type: 'max_pooling2d', pool_size: 2 },
      { type: 'conv2d', filters: 64, kernel_size: 3, activation: 'relu' },
      { type: 'max_pooling2d', pool_size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 10 },
    ],
  },
};

/**
 * One model's training step on random data as trainkit runs it: forward, core's softmax
 * cross-entropy (LayersClassifier's loss), gradients, @trainkit/optim's SGD with momentum.
 */
function trainStep(name) {
  const spec = MODELS[name];
  const model = tasks.buildSequential(spec.layers, undefined, `bench.${name}`);
  const vars = model.trainableWeights.map((w) => w.val);
  const optimizer = new optim.SGD({ params: vars, lr: 0.01, momentum: 0.9 });
  const x = tf.randomNormal([BATCH, ...spec.input]);
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32'), 10);
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tasks.softmaxCrossEntropy(y, model.apply(x, { training: true })), vars);
      optimizer.step(new Map(vars.map((v) => [v, grads[v.name]])));
      return value;
    });
  return { model, optimizer, x, y, step };
}

/** Turns the wasm plugin's fused kernels on or off (what env_cfg.backend_options.fused_kernels does). */
function useFused(on) {
  wasmPlugin.registerTrainingKernels({ fusedKernels: on });
}

/** Kernels one warm training step runs (tf.profile's count: every kernel the engine dispatches). */
async function kernelsPerStep(name) {
  const { model, optimizer, x, y, step } = trainStep(name);
  for (let i = 0; i < 2; i++) step().dispose();
  const info = await tf.profile(() => step().dispose());
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return info.kernels.length;
}

/**
 * ms of each training step (forward, softmax cross-entropy, backward, SGD with momentum). The
 * wasm and cpu backends run every kernel synchronously, so each step is timed on its own; callers
 * take medians so other processes on a shared machine do not skew the figure.
 */
function timeSteps(name, warmup, steps) {
  const { model, optimizer, x, y, step } = trainStep(name);
  for (let i = 0; i < warmup; i++) step().dispose();
  let tensors = tf.memory().numTensors;
  const times = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    const loss = step();
    loss.dataSync();
    times.push(performance.now() - start);
    loss.dispose();
    // without a warm-up the first step creates the optimizer's state, which is not a leak
    if (i === 0 && warmup === 0) tensors = tf.memory().numTensors;
  }
  const leaked = tf.memory().numTensors - tensors;
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  if (leaked !== 0) throw new Error(`${name} leaked ${leaked} tensors over ${steps} steps`);
  return times;
}

/** Kernel time of one wasm training step, summed by kernel and input shapes, largest first. */
async function profileStep(name) {
  const { model, optimizer, x, y, step } = trainStep(name);
  for (let i = 0; i < WARMUP; i++) step().dispose();
  const info = await tf.profile(() => step().dispose());
  const rows = new Map();
  let total = 0;
  for (const k of info.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    rows.set(key, (rows.get(key) ?? 0) + k.kernelTimeMs);
    total += k.kernelTimeMs;
  }
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  const lines = [...rows].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.error(`${name} on wasm, one step: ${total.toFixed(1)} ms in ${info.kernels.length} kernels`);
  for (const [key, ms] of lines) console.error(`${ms.toFixed(2).padStart(9)} ms  ${key}`);
}

const TORCH = `
import json, sys, time
import torch, torch.nn as nn
threads, steps, warmup, batch = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(threads)
torch.manual_seed(0)
models = {
  'mlp': (nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)), (batch, 784)),
  'cnn': (nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(1600, 10)), (batch, 1, 28, 28)),
}
out = {'version': torch.__version__, 'threads': torch.get_num_threads()}
for name, (model, shape) in models.items():
  opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
  x = torch.randn(*shape); y = torch.randint(0, 10, (batch,))
  def step():
    opt.zero_grad(set_to_none=True)
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    return loss
  for _ in range(warmup): step()
  times = []
  for _ in range(steps * 5 if name == 'mlp' else steps):
    t = time.perf_counter()
    step().item()
    times.append((time.perf_counter() - t) * 1000)
  times.sort()
  mid = len(times) // 2
  out[name] = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
# Debian's torch takes its BLAS (the Linear layers) from the system's libblas.so.3: reference BLAS
# unless OpenBLAS is installed. Say which one is loaded, so a slow baseline is visible.
try:
  with open('/proc/self/maps') as maps:
    libs = sorted({line.split()[-1] for line in maps if 'blas' in line.lower() and '/' in line})
  out['blas'] = ', '.join(libs) or 'bundled'
except OSError:
  out['blas'] = 'unknown'
print(json.dumps(out))
`;

/** PyTorch's ms/step on the same CPU, or why it was skipped. */
function torchTimes(threads, steps) {
  // `python3` first; then /usr/bin/python3, because Debian's python3-torch serves that one only
  // and a pyenv or venv python3 earlier on PATH hides it. --python names one explicitly.
  const candidates = flags.python ? [flags.python] : ['python3', '/usr/bin/python3'];
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
  const tried = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      tried.push(python);
      continue;
    }
    const run = spawnSync(python, ['-c', TORCH, String(threads), String(steps), String(WARMUP), String(BATCH)], { encoding: 'utf8', env });
    if (run.status !== 0) return { skipped: `${python} failed: ${run.stderr.trim().split('\n').pop()}` };
    return { python, ...JSON.parse(run.stdout.trim().split('\n').pop()) };
  }
  return { skipped: `no python with torch (tried ${tried.join(', ')})` };
}

const threads = args.threads;
const result = {
  bench: 'cpu-train',
  batch: BATCH,
  threads,
  machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version },
  tfjs: tf.version.tfjs,
  statistic: 'median ms per step',
  models: {},
};

await core.setupBackend({ backend: 'wasm', num_threads: threads });
const { wasmBackendInfo } = await import(pathToFileURL(path.join(pluginDir, 'dist', 'index.js')).href);
result.wasm = { simd: wasmBackendInfo().simd, threads: wasmBackendInfo().threads };
for (const name of Object.keys(MODELS)) {
  // fused and composite alternate, each going first in every other round
  const times = { fused: [], composite: [] };
  const kernels = {};
  for (let r = 0; r < args.rounds; r++) {
    for (const mode of r % 2 === 0 ? ['fused', 'composite'] : ['composite', 'fused']) {
      useFused(mode === 'fused');
      times[mode].push(...timeSteps(name, WARMUP, name === 'cnn' ? args.steps : args.steps * 5));
      if (r === 0) kernels[mode] = await kernelsPerStep(name);
    }
  }
  useFused(true);
  const fused = median(times.fused);
  const composite = median(times.composite);
  result.models[name] = {
    wasm: rate(fused),
    wasm_composite: rate(composite),
    fused_speedup: round(composite / fused, 3),
    kernels_per_step: { fused: kernels.fused, composite: kernels.composite },
  };
}

if (args.cpu) {
  await core.setupBackend({ backend: 'cpu' });
  for (const name of Object.keys(MODELS)) {
    // The cpu backend takes tens of seconds per CNN step: no warm-up, few steps.
    const ms = median(timeSteps(name, name === 'cnn' ? 0 : 1, name === 'cnn' ? args.cpuSteps : args.cpuSteps * 5));
    result.models[name].cpu = rate(ms);
  }
}

const torch = args.torch ? torchTimes(threads, args.steps) : { skipped: '--no-torch' };
result.torch = torch.skipped ? { skipped: torch.skipped } : { version: torch.version, threads: torch.threads, python: torch.python, blas: torch.blas };
for (const name of Object.keys(MODELS)) {
  const m = result.models[name];
  if (torch[name] !== undefined) {
    m.torch = rate(torch[name]);
    m.wasm_vs_torch = round(m.wasm.ms_per_step / torch[name], 2);
    m.wasm_composite_vs_torch = round(m.wasm_composite.ms_per_step / torch[name], 2);
  }
}
const ratios = Object.values(result.models).map((m) => m.wasm_vs_torch);
result.target = { wasm_vs_torch_at_most: 2, met: ratios.includes(undefined) ? null : ratios.every((r) => r <= 2) };

console.log(JSON.stringify(result));
const describe = (name) => {
  const m = result.models[name];
  const parts = [
    `wasm ${m.wasm.ms_per_step} ms/step (${m.wasm.images_per_s} img/s, ${m.kernels_per_step.fused} kernels)`,
    `without fused kernels ${m.wasm_composite.ms_per_step} ms (${m.kernels_per_step.composite} kernels, ${m.fused_speedup}x)`,
  ];
  if (m.cpu) parts.push(`cpu ${m.cpu.ms_per_step} ms`);
  if (m.torch) parts.push(`PyTorch ${m.torch.ms_per_step} ms (wasm ${m.wasm_vs_torch}x)`);
  return `${name.toUpperCase()} ${parts.join(', ')}`;
};
console.log(
  `cpu-train, batch ${BATCH}, ${threads} thread(s): ${describe('mlp')} | ${describe('cnn')} | ` +
    (torch.skipped ? `PyTorch skipped: ${torch.skipped}` : `target <= 2x PyTorch: ${result.target.met ? 'met' : 'not met'}`) +
    (/\/blas\/libblas/.test(torch.blas ?? '') ? ' (PyTorch runs on the reference BLAS here: install OpenBLAS for a fair baseline)' : ''),
);
if (flags.profile) {
  await core.setupBackend({ backend: 'wasm', num_threads: threads });
  await profileStep('cnn');
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function rate(ms) {
  return { ms_per_step: round(ms, ms < 10 ? 2 : 1), images_per_s: Math.round((BATCH * 1000) / ms) };
}

function round(v, digits) {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function positive(flag, value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`cpu-train: ${flag} needs a positive integer, got ${value}`);
    process.exit(2);
  }
  return n;
}
