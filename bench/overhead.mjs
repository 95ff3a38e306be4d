#!/usr/bin/env node
// The runtime's own cost per iteration, and how it stays flat over a long run.
//   pnpm build && node bench/overhead.mjs [--iters 110000]
//
// 1. A no-op model (its train step does no tensor work) through a Runner with MMEngine's default
//    hooks (RuntimeInfo, IterTimer, DistSamplerSeed, Logger at interval 10, ParamScheduler with an
//    iteration-based scheduler, Checkpoint), minus an empty loop: the runtime's overhead in ms/iter,
//    over iterations 1,000-11,000 and 100,000-110,000 (flat means within 10%).
// 2. The Fashion-MNIST CNN and MLP (batch 64) on the default backend, one trainkit iteration
//    against a hand-written TensorFlow.js loop doing the same math (forward, cross-entropy,
//    backward, SGD); the MLP's 2.5 ms step shows the fixed per-iteration cost the most,
//    alternated over 8 rounds (medians: a model's speed on wasm varies by up to 20% with where its
//    tensors land in memory, so one pair of runs says little).
// 3. The tensor-leak guard (env_cfg.detect_tensor_leaks, on by default in the CLI): the no-op run
//    and the MLP step with it on and off, as a share of an MLP iteration (target: under 1%).
//    `--only leak-guard` runs just this part.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BaseModel, Hook, MODELS, createRunner } from '@trainkit/core';
import { setupBackend } from '@trainkit/core/backend';
import { LayersClassifier } from '@trainkit/tasks';
import '@trainkit/optim';
import '@trainkit/hook-logger';
import '@trainkit/hook-checkpoint';

const args = process.argv.slice(2);
const maxIters = Number(args[args.indexOf('--iters') + 1]) || 110_000;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-overhead-'));

/** A model whose train step does no tensor work: what is left is the runtime. */
class NoopModel extends BaseModel {
  constructor() {
    super();
    // the optimizer wants something to own; it is never updated
    this.addParameter(
      'w',
      tf.tidy(() => tf.variable(tf.zeros([1]))),
    );
  }
  forward() {
    return {};
  }
  trainStep() {
    return { loss: 0.5 };
  }
}
MODELS.register('NoopModel', NoopModel, { force: true });

/** Records the wall clock at chosen iterations. */
class Clock extends Hook {
  marks = new Map();
  constructor(at) {
    super();
    this.at = new Set(at);
  }
  afterTrainIter(runner) {
    if (this.at.has(runner.iter + 1)) this.marks.set(runner.iter + 1, performance.now());
  }
}

const item = { inputs: { data: new Float32Array(1), shape: [1] }, data_samples: {} };

async function runtimeOverhead(leakGuard = false, iters = maxIters) {
  const maxIters = iters;
  const runner = await createRunner({
    work_dir: tmp(),
    model: { type: 'NoopModel' },
    train_dataloader: { dataset: { length: 1000, getItem: () => item }, batch_size: 1, sampler: { type: 'InfiniteSampler', shuffle: false } },
    train_cfg: { by_epoch: false, max_iters: maxIters, val_interval: maxIters + 1 },
    optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 } },
    param_scheduler: [{ type: 'LinearLR', start_factor: 0.1, by_epoch: false, end: 1000 }],
    default_hooks: { checkpoint: { type: 'CheckpointHook', interval: -1, save_last: false } },
    log_processor: { by_epoch: false },
    env_cfg: { backend: 'cpu', detect_tensor_leaks: leakGuard },
    randomness: { seed: 0 },
  });
  runner.logger.setConsole(() => {});
  const marks = [1000, 11_000, maxIters - 10_000, maxIters].filter((m) => m > 0 && m <= maxIters);
  const clock = new Clock(marks);
  runner.registerHook(clock, 'LOWEST');
  const t0 = performance.now();
  await runner.train();
  const total = performance.now() - t0;
  await runner.dispose();
  const span = (a, b) => (clock.marks.get(b) - clock.marks.get(a)) / (b - a);
  return { total, early: span(1000, 11_000), late: span(maxIters - 10_000, maxIters) };
}

/** The same data loop without the runtime: what an iteration costs with nothing around it. */
async function bareLoop() {
  const { DataLoader, InfiniteSampler } = await import('@trainkit/core/data');
  const loader = new DataLoader({
    dataset: { length: 1000, getItem: () => item },
    batch_size: 1,
    sampler: new InfiniteSampler({ dataset: { length: 1000 }, shuffle: false }),
  });
  const it = loader.batches();
  const t0 = performance.now();
  for (let i = 0; i < maxIters; i++) {
    let b = it.next();
    if (b instanceof Promise) b = await b;
  }
  return (performance.now() - t0) / maxIters;
}

const MODELS_UNDER_TEST = {
  mlp: [
    { type: 'flatten', input_shape: [28, 28, 1] },
    { type: 'dense', units: 256, activation: 'relu' },
  ],
  cnn: [
    { type: 'conv2d', input_shape: [28, 28, 1], filters: 32, kernel_size: 3, activation: 'relu', padding: 'same' },
    { type: 'maxPooling2d', pool_size: 2 },
    { type: 'conv2d', filters: 64, kernel_size: 3, activation: 'relu', padding: 'same' },
    { type: 'maxPooling2d', pool_size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 128, activation: 'relu' },
  ],
};
const images = new Float32Array(64 * 784).map(() => Math.random());
const labels = Array.from({ length: 64 }, (_, i) => i % 10);

/** ms per step of the MLP in a hand-written loop: the same network, cross-entropy, gradients, plain SGD. */
async function handLoop(backend, layers, iters) {
  await setupBackend({ backend });
  const model = new LayersClassifier({ layers, num_classes: 10 });
  const vars = model.namedParameters().map(([, v]) => v);
  const step = () =>
    tf.tidy(() => {
      const x = tf.tensor(images, [64, 28, 28, 1]);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.network.apply(x, { training: true })), vars);
      for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)));
      return value.dataSync()[0];
    });
  for (let i = 0; i < 20; i++) step();
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) step();
  const ms = (performance.now() - t0) / iters;
  model.dispose();
  return ms;
}

/** ms per step of the same MLP trained by a Runner with the default hooks (checkpoints off). */
async function trainkitLoop(backend, layers, iters, leakGuard = false) {
  const dataset = {
    length: 64,
    getItem: (i) => ({ inputs: { data: images.subarray(i * 784, (i + 1) * 784), shape: [28, 28, 1] }, data_samples: { gt_label: labels[i] } }),
  };
  const runner = await createRunner({
    work_dir: tmp(),
    model: { type: 'LayersClassifier', layers, num_classes: 10 },
    train_dataloader: { dataset, batch_size: 64, sampler: { type: 'InfiniteSampler', shuffle: false } },
    train_cfg: { by_epoch: false, max_iters: iters + 20 },
    optim_wrapper: { optimizer: { type: 'SGD', lr: 0.01 } },
    default_hooks: { checkpoint: { type: 'CheckpointHook', interval: -1, save_last: false } },
    env_cfg: { backend, detect_tensor_leaks: leakGuard },
    randomness: { seed: 0 },
  });
  runner.logger.setConsole(() => {});
  const clock = new Clock([20, iters + 20]);
  runner.registerHook(clock, 'LOWEST');
  await runner.train();
  await runner.dispose();
  return (clock.marks.get(iters + 20) - clock.marks.get(20)) / iters;
}

/** Both loops, alternating which goes first, medians over `rounds`: single runs swing with the load. */
async function stepRatio(backend, layers, rounds, iters) {
  const hand = [];
  const kit = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      hand.push(await handLoop(backend, layers, iters));
      kit.push(await trainkitLoop(backend, layers, iters));
    } else {
      kit.push(await trainkitLoop(backend, layers, iters));
      hand.push(await handLoop(backend, layers, iters));
    }
  }
  return { backend, hand: median(hand), kit: median(kit), ratio: median(kit) / median(hand) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The leak guard's cost: no-op iterations (its absolute cost) and MLP steps (its share), on vs off, alternated. */
async function leakGuardCost(backend) {
  const noopOn = [];
  const noopOff = [];
  const on = [];
  const off = [];
  for (let r = 0; r < 4; r++) {
    const first = r % 2 === 0;
    for (const guard of first ? [true, false] : [false, true]) {
      (guard ? noopOn : noopOff).push((await runtimeOverhead(guard, 21_000)).early);
      (guard ? on : off).push(await trainkitLoop(backend, MODELS_UNDER_TEST.mlp, 200, guard));
    }
  }
  const perIterMs = median(noopOn) - median(noopOff);
  const mlpMs = median(off);
  return {
    leak_guard_us_per_iter: +(perIterMs * 1000).toFixed(2),
    leak_guard_mlp_on_ms: +median(on).toFixed(3),
    leak_guard_mlp_off_ms: +mlpMs.toFixed(3),
    leak_guard_pct_of_mlp_iter: +((100 * perIterMs) / mlpMs).toFixed(3),
  };
}

let guardBackend = 'wasm';
try {
  await import('@trainkit/backend-wasm');
} catch {
  guardBackend = 'cpu';
}
if (only === 'leak-guard') {
  const g = await leakGuardCost(guardBackend);
  console.log(JSON.stringify({ bench: 'overhead/leak-guard', backend: guardBackend, ...g, targets: { leak_guard_pct_of_mlp_iter: 1 } }));
  console.log(
    `leak guard: ${g.leak_guard_us_per_iter} us per iteration = ${g.leak_guard_pct_of_mlp_iter}% of an MLP iteration on ${guardBackend} (${g.leak_guard_mlp_off_ms} ms; with the guard ${g.leak_guard_mlp_on_ms} ms)`,
  );
  process.exit(0);
}

const noop = await runtimeOverhead();
const bare = await bareLoop();
const overheadEarly = noop.early - bare;
const overheadLate = noop.late - bare;
const growth = overheadLate / overheadEarly - 1;
let backend = 'wasm';
try {
  await import('@trainkit/backend-wasm');
} catch {
  backend = 'cpu';
}
const mlp = await stepRatio(backend, MODELS_UNDER_TEST.mlp, 8, 200);
const cnn = await stepRatio(backend, MODELS_UNDER_TEST.cnn, 4, 30);
const guard = await leakGuardCost(backend);

const result = {
  bench: 'overhead',
  iters: maxIters,
  overhead_ms_per_iter: +overheadEarly.toFixed(5),
  overhead_ms_per_iter_late: +overheadLate.toFixed(5),
  growth: +growth.toFixed(3),
  noop_iter_ms: +noop.early.toFixed(5),
  bare_loop_ms: +bare.toFixed(5),
  mlp_backend: mlp.backend,
  mlp_trainkit_ms: +mlp.kit.toFixed(3),
  mlp_hand_ms: +mlp.hand.toFixed(3),
  mlp_ratio: +mlp.ratio.toFixed(3),
  cnn_trainkit_ms: +cnn.kit.toFixed(3),
  cnn_hand_ms: +cnn.hand.toFixed(3),
  cnn_ratio: +cnn.ratio.toFixed(3),
  ...guard,
  targets: { overhead_ms_per_iter: 0.015, ratio: 1.03, growth: 0.1, leak_guard_pct_of_mlp_iter: 1 },
};
console.log(JSON.stringify(result));
console.log(
  `runtime overhead ${(overheadEarly * 1000).toFixed(1)} us/iter at iterations 1k-11k, ${(overheadLate * 1000).toFixed(1)} us/iter at ${maxIters - 10_000}-${maxIters} (${(growth * 100).toFixed(1)}%); on ${mlp.backend}: CNN step trainkit ${cnn.kit.toFixed(2)} ms vs hand-written ${cnn.hand.toFixed(2)} ms = ${cnn.ratio.toFixed(3)}x, MLP step ${mlp.kit.toFixed(3)} vs ${mlp.hand.toFixed(3)} ms = ${mlp.ratio.toFixed(3)}x`,
);
