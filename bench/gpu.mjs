#!/usr/bin/env node
// GPU training speed: the same MLP and CNN train steps in trainkit (Runner + OptimWrapper) on the
// webgpu backend and in a hand-written TensorFlow.js loop, with and without a sync per iteration.
// Run on a GPU machine (see ../shared/gpu/README.md), never in CI:
//   pnpm build && node bench/gpu.mjs [--iters 50] [--cases mlp-small,cnn] [--profile] [--tfjs-kernels]
// --tfjs-kernels runs tfjs's own webgpu kernels where @trainkit/backend-webgpu replaces some.
// Prints one JSON line and one human line per case; --profile adds a per-kernel table of one
// CNN step (tf.profile).
import * as tf from '@tensorflow/tfjs';

const args = process.argv.slice(2);
const iters = Number(args[args.indexOf('--iters') + 1]) || 50;
const profile = args.includes('--profile');
const only = args.includes('--cases') ? args[args.indexOf('--cases') + 1].split(',') : null;

const { createRunner, Hook } = await import('@trainkit/core');
const { setupBackend, drainBackend } = await import('@trainkit/core/backend');
const { LayersClassifier } = await import('@trainkit/tasks');
await import('@trainkit/backend-webgpu');
await import('@trainkit/optim');
await import('@trainkit/hook-logger');
const env = { backend: 'webgpu', backend_options: { training_kernels: !args.includes('--tfjs-kernels') } };
await setupBackend(env);

const CASES = [
  { name: 'mlp-small', batch: 64, input: [784], layers: [{ type: 'dense', units: 256, activation: 'relu' }], classes: 10 },
  { name: 'mlp-large', batch: 1024, input: [4096], layers: [{ type: 'dense', units: 4096, activation: 'relu' }], classes: 1000 },
  {
    name: 'cnn',
    batch: 256,
    input: [28, 28, 1],
    layers: [
      { type: 'conv2d', filters: 32, kernel_size: 3, activation: 'relu', padding: 'same' },
      { type: 'maxPooling2d', pool_size: 2 },
      { type: 'conv2d', filters: 64, kernel_size: 3, activation: 'relu', padding: 'same' },
      { type: 'maxPooling2d', pool_size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 128, activation: 'relu' },
    ],
    classes: 10,
  },
];

/** Forward + backward FLOPs of one step (matmuls and convolutions; 3x the forward). */
function stepFlops(c) {
  let flops = 0;
  let shape = [...c.input];
  for (const l of [...c.layers, { type: 'dense', units: c.classes }]) {
    if (l.type === 'dense') {
      const inF = shape.reduce((a, b) => a * b, 1);
      flops += 2 * inF * l.units;
      shape = [l.units];
    } else if (l.type === 'conv2d') {
      const [h, w, cin] = shape;
      flops += 2 * h * w * cin * l.filters * l.kernel_size * l.kernel_size;
      shape = [h, w, l.filters];
    } else if (l.type === 'maxPooling2d') {
      shape = [shape[0] / 2, shape[1] / 2, shape[2]];
    } else if (l.type === 'flatten') {
      shape = [shape.reduce((a, b) => a * b, 1)];
    }
  }
  return 3 * flops * c.batch;
}

function batchOf(c) {
  const size = c.input.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size * c.batch).map(() => Math.random());
  return { inputs: { data, shape: [c.batch, ...c.input] }, data_samples: Array.from({ length: c.batch }, (_, i) => ({ gt_label: i % c.classes })) };
}

/** The case's model and one fixed batch as tensors (for the hand-written loop and the profile). */
function modelAndBatch(c) {
  const model = new LayersClassifier({ layers: [{ ...c.layers[0], input_shape: c.input }, ...c.layers.slice(1)], num_classes: c.classes });
  const b = batchOf(c);
  const x = tf.tensor(b.inputs.data, b.inputs.shape);
  const y = tf.oneHot(
    tf.tensor1d(
      b.data_samples.map((s) => s.gt_label),
      'int32',
    ),
    c.classes,
  );
  return { model, vars: model.namedParameters().map(([, v]) => v), x, y };
}

async function handLoop(c, sync) {
  const { model, vars, x, y } = modelAndBatch(c);
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.network.apply(x, { training: true })), vars);
      for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)));
      return value;
    });
  for (let i = 0; i < 3; i++) {
    const warm = step();
    await warm.data();
    warm.dispose();
  }
  await drainBackend();
  const t0 = performance.now();
  let last;
  for (let i = 0; i < iters; i++) {
    last?.dispose();
    last = step();
    if (sync) await last.data();
  }
  await drainBackend();
  const ms = (performance.now() - t0) / iters;
  model.dispose();
  tf.dispose([x, y, last]);
  return ms;
}

async function trainkitLoop(c) {
  const { tempDir } = await import('@trainkit/core/testing');
  const b = batchOf(c);
  const dataset = {
    length: c.batch * (iters + 3),
    getItem: (i) => ({
      inputs: {
        data: b.inputs.data.subarray((i % c.batch) * (b.inputs.data.length / c.batch), ((i % c.batch) + 1) * (b.inputs.data.length / c.batch)),
        shape: c.input,
      },
      data_samples: b.data_samples[i % c.batch],
    }),
  };
  const runner = await createRunner({
    work_dir: tempDir(),
    model: { type: 'LayersClassifier', layers: [{ ...c.layers[0], input_shape: c.input }, ...c.layers.slice(1)], num_classes: c.classes },
    train_dataloader: { dataset, batch_size: c.batch, sampler: { type: 'DefaultSampler', shuffle: false } },
    train_cfg: { by_epoch: false, max_iters: iters + 3 },
    optim_wrapper: { optimizer: { type: 'SGD', lr: 0.01 } },
    default_hooks: { checkpoint: null, logger: { type: 'LoggerHook', interval: 1000 } },
    env_cfg: env,
    log_level: 'WARNING',
  });
  // The clock runs from the end of warm-up iteration 2 to the end of the last one, each time
  // after the GPU queue drained: work queued earlier must not count, work queued late must.
  let t0 = 0;
  let t1 = 0;
  class Clock extends Hook {
    async afterTrainIter(runner) {
      if (runner.iter !== 2 && runner.iter !== iters + 2) return;
      await drainBackend();
      if (runner.iter === 2) t0 = performance.now();
      else t1 = performance.now();
    }
  }
  runner.registerHook(new Clock(), 'LOWEST');
  await runner.train();
  const ms = (t1 - t0) / iters;
  await runner.dispose();
  return ms;
}

for (const c of CASES.filter((k) => !only || only.includes(k.name))) {
  const flops = stepFlops(c);
  const hand = await handLoop(c, false);
  const handSync = await handLoop(c, true);
  const kit = await trainkitLoop(c);
  const result = {
    bench: 'gpu',
    case: c.name,
    batch: c.batch,
    trainkit_ms: +kit.toFixed(3),
    hand_ms: +hand.toFixed(3),
    hand_sync_ms: +handSync.toFixed(3),
    trainkit_tflops: +(flops / kit / 1e9).toFixed(3),
    ratio_vs_hand: +(kit / hand).toFixed(3),
    speedup_vs_hand_sync: +(handSync / kit).toFixed(2),
  };
  console.log(JSON.stringify(result));
  console.log(
    `${c.name} (batch ${c.batch}): trainkit ${kit.toFixed(2)} ms/iter (${result.trainkit_tflops} TFLOP/s), hand loop ${hand.toFixed(2)} ms, hand loop with a sync per step ${handSync.toFixed(2)} ms -> ${result.ratio_vs_hand}x the hand loop, ${result.speedup_vs_hand_sync}x faster than syncing`,
  );
}

if (profile) {
  const c = CASES.find((k) => k.name === 'cnn');
  const { model, vars, x, y } = modelAndBatch(c);
  const info = await tf.profile(() =>
    tf.tidy(() => tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.network.apply(x, { training: true })), vars).value),
  );
  const byKernel = new Map();
  for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (await k.kernelTimeMs));
  const rows = [...byKernel].sort((a, b) => b[1] - a[1]);
  console.log(JSON.stringify({ bench: 'gpu-profile', case: 'cnn', kernels: Object.fromEntries(rows.map(([k, v]) => [k, +Number(v).toFixed(3)])) }));
  for (const [k, v] of rows) console.log(`${k.padEnd(36)} ${Number(v).toFixed(3)} ms`);
}
