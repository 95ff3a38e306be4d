#!/usr/bin/env node
// Cost of VisualizationHook per validation iteration: no hook, `enable: false`, `enable: true`.
// Runs plain node against the built packages (`pnpm build` first). Validation on the cpu backend
// over Fashion-MNIST-sized images (28x28x1 uint8), a small dense classifier, batch 32.
// Prints one JSON line, then one line for people.
//
// Usage: node bench/visualization.mjs [--rounds 15] [--samples 512] [--batch 32]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const coreDist = path.join(root, 'packages/core/dist/index.js');
const pluginDist = path.join(root, 'plugins/hook-visualization/dist/index.js');
for (const file of [coreDist, pluginDist]) {
  if (!fs.existsSync(file)) {
    console.error(`missing ${path.relative(root, file)}: run \`pnpm build\` first`);
    process.exit(2);
  }
}
// the plugin resolves @trainkit/core to the same dist file, so both share one registry
const core = {
  ...(await import(pathToFileURL(coreDist).href)),
  ...(await import(pathToFileURL(path.join(root, 'packages/core/dist/public/backend.js')).href)),
};
await import(pathToFileURL(pluginDist).href);
await import(pathToFileURL(path.join(root, 'plugins/tasks/dist/index.js')).href);

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 15);
const SAMPLES = arg('samples', 512);
const BATCH = arg('batch', 32);
const SIDE = 28;

class BenchImages {
  metainfo = { classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] };
  get length() {
    return SAMPLES;
  }
  getItem(i) {
    const data = new Uint8Array(SIDE * SIDE);
    for (let p = 0; p < data.length; p++) data[p] = (p * 31 + i * 7) & 255;
    return { inputs: { data, shape: [SIDE, SIDE, 1] }, data_samples: { gt_label: i % 10 } };
  }
}
core.DATASETS.register('BenchImages', BenchImages, { force: true, from: 'bench' });
await core.setupBackend({ backend: 'cpu' });

const variants = {
  no_hook: [],
  disabled: [{ type: 'VisualizationHook', enable: false, interval: 1 }],
  // one drawn image per batch
  enabled: [{ type: 'VisualizationHook', enable: true, interval: BATCH }],
};

function buildRunner(customHooks) {
  return new core.Runner({
    work_dir: fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-bench-vis-')),
    model: {
      type: 'LayersClassifier',
      layers: [
        { type: 'flatten', input_shape: [SIDE, SIDE, 1] },
        { type: 'dense', units: 64, activation: 'relu' },
      ],
      num_classes: 10,
      data_preprocessor: { scale: 1 / 255 },
    },
    val_dataloader: { dataset: { type: 'BenchImages' }, batch_size: BATCH, sampler: { type: 'DefaultSampler', shuffle: false } },
    val_cfg: {},
    val_evaluator: { type: 'Accuracy' },
    visualizer: { type: 'ClsVisualizer', vis_backends: [{ type: 'LocalVisBackend' }] },
    default_hooks: { logger: null, param_scheduler: null, checkpoint: null },
    custom_hooks: customHooks,
    env_cfg: { backend: 'cpu' },
    log_level: 'ERROR',
  });
}

const runners = Object.fromEntries(Object.entries(variants).map(([k, hooks]) => [k, buildRunner(hooks)]));
// what the runner calls after each validation iteration: the disabled hook is not among them
const afterValIterHooks = Object.fromEntries(Object.entries(runners).map(([k, r]) => [k, r.hooksAt('afterValIter').map((h) => h.displayName)]));
const iters = Math.ceil(SAMPLES / BATCH);
const perIter = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));

// two warm-up passes each, then rounds interleaved so drift of the machine hits all variants alike
for (let round = -2; round < ROUNDS; round++) {
  for (const [k, runner] of Object.entries(runners)) {
    const t0 = performance.now();
    await runner.val();
    const ms = (performance.now() - t0) / iters;
    if (round >= 0) perIter[k].push(ms);
  }
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.ceil(pos)] - s[lo]) * (pos - lo);
};
const median = (xs) => quantile(xs, 0.5);

// The hook's dispatch cost alone: the runner's call of afterValIter, without the model around it.
function dispatchNs(runner) {
  const batch = { inputs: { data: new Uint8Array(SIDE * SIDE), shape: [1, SIDE, SIDE, 1] }, data_samples: [{ gt_label: 0 }] };
  const outputs = [{ gt_label: 0, pred_label: 0 }];
  const n = 2_000_000;
  for (let i = 0; i < 100_000; i++) runner.callHook('afterValIter', i + 1, batch, outputs);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) runner.callHook('afterValIter', i + 1, batch, outputs);
  return Number(process.hrtime.bigint() - t0) / n;
}
const dispatch = { no_hook: [], disabled: [] };
for (let i = 0; i < 5; i++) for (const k of Object.keys(dispatch)) dispatch[k].push(dispatchNs(runners[k]));

const imagesDir = path.join(runners.enabled.logDir, 'vis_data', 'vis_image');
const images = fs.existsSync(imagesDir) ? fs.readdirSync(imagesDir).length : 0;
for (const runner of Object.values(runners)) await runner.dispose();

const r3 = (x) => Math.round(x * 1000) / 1000;
const ms = Object.fromEntries(Object.entries(perIter).map(([k, xs]) => [k, r3(median(xs))]));
const iqr = Object.fromEntries(Object.entries(perIter).map(([k, xs]) => [k, r3(quantile(xs, 0.75) - quantile(xs, 0.25))]));
const disabledDelta = r3(ms.disabled - ms.no_hook);
const enabledDelta = r3(ms.enabled - ms.no_hook);
const ns = Object.fromEntries(Object.entries(dispatch).map(([k, xs]) => [k, Math.round(median(xs) * 10) / 10]));
const result = {
  bench: 'visualization',
  backend: 'cpu',
  node: process.versions.node,
  val_samples: SAMPLES,
  batch_size: BATCH,
  image: `${SIDE}x${SIDE}x1`,
  rounds: ROUNDS,
  ms_per_val_iter: ms,
  iqr_ms: iqr,
  disabled_minus_no_hook_ms: disabledDelta,
  enabled_minus_no_hook_ms: enabledDelta,
  images_per_iter_enabled: 1,
  images_written: images,
  dispatch_ns_per_call: ns,
  after_val_iter_hooks: afterValIterHooks,
};
console.log(JSON.stringify(result));
console.log(
  `visualization: val iter ${ms.no_hook} ms without the hook, ${ms.disabled} ms with enable:false (${disabledDelta >= 0 ? '+' : ''}${disabledDelta} ms; run-to-run IQR ${iqr.no_hook} ms), ` +
    `${ms.enabled} ms with enable:true drawing 1 image of 224x224 per iter (+${enabledDelta} ms); afterValIter dispatch ${ns.no_hook} ns vs ${ns.disabled} ns per call`,
);
