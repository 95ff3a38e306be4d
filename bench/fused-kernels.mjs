/**
 * The fused kernels of @trainkit/backend-wasm against the composite ops they replace, on wasm,
 * one thread: one optimizer step over the 784-256-10 MLP's parameters (203,530 floats in 4
 * tensors) for each optimizer with a fused kernel, and softmax cross-entropy with its gradient
 * for a [64, 10] batch. Fused and composite alternate over --rounds rounds (each first in every
 * other round) so a shared machine's load hits both alike; medians of the per-round means.
 *
 *   pnpm --filter @trainkit/core --filter @trainkit/backend-wasm --filter @trainkit/optim build
 *   node bench/fused-kernels.mjs [--rounds 10] [--steps 20]
 *
 * Prints one JSON line, then one line for humans.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pluginDir = path.join(root, 'plugins', 'backend-wasm');
const require = createRequire(path.join(pluginDir, 'package.json'));
const { values: flags } = parseArgs({ options: { rounds: { type: 'string', default: '10' }, steps: { type: 'string', default: '20' } } });
const rounds = Number(flags.rounds);
const steps = Number(flags.steps);

const load = (p) => import(pathToFileURL(path.join(root, p)).href);
let core;
let tasks;
let wasm;
let optim;
try {
  core = { ...(await load('packages/core/dist/index.js')), ...(await load('packages/core/dist/public/backend.js')) };
  tasks = await load('plugins/tasks/dist/index.js');
  wasm = await load('plugins/backend-wasm/dist/index.js');
  optim = await load('plugins/optim/dist/index.js');
} catch (e) {
  console.error(`fused-kernels: ${e.message}\n  fix: pnpm --filter @trainkit/core --filter @trainkit/backend-wasm --filter @trainkit/optim build`);
  process.exit(1);
}
const tf = require('@tensorflow/tfjs');
core.getLogger().level = 'WARNING';
await core.setupBackend({ backend: 'wasm', num_threads: 1 });

const OPTIMIZERS = {
  'SGD momentum 0.9': ['SGD', { lr: 0.01, momentum: 0.9 }],
  'SGD nesterov, weight decay': ['SGD', { lr: 0.01, momentum: 0.9, nesterov: true, weight_decay: 1e-4 }],
  Adam: ['Adam', { lr: 1e-3 }],
  'AdamW amsgrad': ['AdamW', { lr: 1e-3, amsgrad: true }],
  'RMSprop centered, momentum': ['RMSprop', { lr: 1e-3, centered: true, momentum: 0.9 }],
  Adagrad: ['Adagrad', { lr: 1e-2 }],
};

/** ms per call of `fn`, alternating fused and composite; returns medians and kernels per call. */
async function compare(make) {
  const times = { fused: [], composite: [] };
  const kernels = {};
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 === 0 ? ['fused', 'composite'] : ['composite', 'fused']) {
      wasm.registerTrainingKernels({ fusedKernels: mode === 'fused' });
      const { fn, dispose } = make();
      for (let i = 0; i < 3; i++) fn();
      if (r === 0) kernels[mode] = (await tf.profile(fn)).kernels.length;
      const start = performance.now();
      for (let i = 0; i < steps; i++) fn();
      times[mode].push((performance.now() - start) / steps);
      dispose();
    }
  }
  wasm.registerTrainingKernels({ fusedKernels: true });
  const fused = median(times.fused);
  const composite = median(times.composite);
  return { fused_ms: round(fused), composite_ms: round(composite), speedup: round(composite / fused), kernels };
}

function optimizerStep(type, options) {
  return () => {
    const vars = [[784, 256], [256], [256, 10], [10]].map((s) => tf.variable(tf.randomNormal(s)));
    const grads = new Map(vars.map((v) => [v, tf.randomNormal(v.shape, 0, 0.01)]));
    const optimizer = new optim[type]({ params: vars, ...options });
    return {
      fn: () => optimizer.step(grads),
      dispose: () => {
        optimizer.dispose();
        tf.dispose([...vars, ...grads.values()]);
      },
    };
  };
}

function lossAndGrad() {
  const logits = tf.randomNormal([64, 10]);
  const onehot = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32'), 10);
  const f = tf.valueAndGrad((x) => tasks.softmaxCrossEntropy(onehot, x));
  return {
    fn: () => tf.tidy(() => f(logits).grad.dataSync()),
    dispose: () => tf.dispose([logits, onehot]),
  };
}

const result = {
  bench: 'fused-kernels',
  machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), load: os.loadavg()[0], node: process.version },
  statistic: `median over ${rounds} rounds of the mean ms of ${steps} calls`,
  optimizer_step_mlp: {},
};
for (const [name, [type, options]] of Object.entries(OPTIMIZERS)) result.optimizer_step_mlp[name] = await compare(optimizerStep(type, options));
result.softmax_cross_entropy_64x10 = await compare(lossAndGrad);
result.machine.load_after = os.loadavg()[0];

console.log(JSON.stringify(result));
const line = Object.entries(result.optimizer_step_mlp)
  .map(([k, v]) => `${k} ${v.fused_ms} vs ${v.composite_ms} ms (${v.speedup}x, ${v.kernels.fused} vs ${v.kernels.composite} kernels)`)
  .join('; ');
const ce = result.softmax_cross_entropy_64x10;
console.log(
  `fused vs composite on wasm: ${line}; softmax cross-entropy + gradient ${ce.fused_ms} vs ${ce.composite_ms} ms (${ce.speedup}x, ${ce.kernels.fused} vs ${ce.kernels.composite} kernels)`,
);

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function round(v) {
  return Math.round(v * 1000) / 1000;
}
