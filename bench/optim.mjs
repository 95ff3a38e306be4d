// Time of one updateParams (forward, backward, optimizer step) of a 1M-parameter MLP for every
// @trainkit/optim optimizer, next to TensorFlow.js's own optimizer where one exists
// (optimizer.minimize on the same model), plus the optimizer step alone (step vs applyGradients).
// Prints one JSON line and one human line. Runs against the built packages:
//   pnpm --filter @trainkit/core build && pnpm --filter @trainkit/optim build && node bench/optim.mjs
// Options: --reps=N (timed calls per case, default 11), --batch=N (default 16).
// Times are medians of CPU time (user + system of this process), each call on a freshly collected
// heap: on a shared machine, wall time mostly measures the neighbours (wall medians are printed too).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
};
const REPS = arg('reps', 11);
const WARMUP = 2;
const BATCH = arg('batch', 16);
const LAYERS = [784, 1000, 216, 10];

const pluginDir = fileURLToPath(new URL('../plugins/optim/', import.meta.url));
const entry = new URL('../plugins/optim/dist/index.js', import.meta.url);
if (!fs.existsSync(fileURLToPath(entry))) {
  console.error('bench/optim: build the packages first: pnpm --filter @trainkit/core build && pnpm --filter @trainkit/optim build');
  process.exit(1);
}
// the same TensorFlow.js module instance the plugin imports
const tfPath = createRequire(`${pluginDir}package.json`).resolve('@tensorflow/tfjs');
const tf = await import(pathToFileURL(tfPath).href);
const optim = await import(entry.href);

// tfjs prints a hint about tfjs-node on first use; keep the output to the two lines
const { log, warn } = console;
console.log = console.warn = () => {};
await tf.setBackend('cpu');
await tf.ready();
tf.tidy(() => tf.add(tf.scalar(1), 1));
Object.assign(console, { log, warn });

/** An MLP with its own weights (two copies of one model must not share variables). */
function mlp() {
  const vars = [];
  for (let i = 0; i + 1 < LAYERS.length; i++) {
    vars.push(tf.tidy(() => tf.variable(tf.randomNormal([LAYERS[i], LAYERS[i + 1]], 0, 0.05, 'float32', 10 + i), true)));
    vars.push(tf.tidy(() => tf.variable(tf.zeros([LAYERS[i + 1]]), true)));
  }
  const x = tf.randomNormal([BATCH, LAYERS[0]], 0, 1, 'float32', 1);
  const y = tf.tidy(() =>
    tf.oneHot(
      tf.tensor1d(
        Array.from({ length: BATCH }, (_, i) => i % 10),
        'int32',
      ),
      10,
    ),
  );
  const loss = () =>
    tf.tidy(() => {
      let h = x;
      for (let i = 0; i < vars.length; i += 2) {
        h = tf.add(tf.matMul(h, vars[i]), vars[i + 1]);
        if (i + 2 < vars.length) h = tf.relu(h);
      }
      return tf.losses.softmaxCrossEntropy(y, h);
    });
  const dispose = () => {
    for (const t of [...vars, x, y]) t.dispose();
  };
  return { vars, loss, dispose };
}

const PARAMS = LAYERS.slice(1).reduce((n, out, i) => n + LAYERS[i] * out + out, 0);

/** Ours (config as a user writes it) and TF.js's counterpart, or null. */
const CASES = [
  ['SGD', { type: 'SGD', lr: 0.01 }, () => tf.train.sgd(0.01)],
  ['SGD momentum', { type: 'SGD', lr: 0.01, momentum: 0.9 }, () => tf.train.momentum(0.01, 0.9)],
  ['Adam', { type: 'Adam', lr: 1e-3 }, () => tf.train.adam(1e-3, 0.9, 0.999, 1e-8)],
  ['AdamW', { type: 'AdamW', lr: 1e-3 }, null],
  ['Adamax', { type: 'Adamax', lr: 2e-3 }, () => tf.train.adamax(2e-3, 0.9, 0.999, 1e-8)],
  ['NAdam', { type: 'NAdam', lr: 2e-3 }, null],
  ['RAdam', { type: 'RAdam', lr: 1e-3 }, null],
  ['RMSprop', { type: 'RMSprop', lr: 1e-2, alpha: 0.99 }, () => tf.train.rmsprop(1e-2, 0.99, 0, 1e-8)],
  ['Adagrad', { type: 'Adagrad', lr: 1e-2, initial_accumulator_value: 0.1 }, () => tf.train.adagrad(1e-2, 0.1)],
  ['Adadelta', { type: 'Adadelta', lr: 1, rho: 0.9 }, () => tf.train.adadelta(1, 0.9, 1e-6)],
  ['Lion', { type: 'Lion', lr: 1e-4 }, null],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (v) => (v === null ? null : Math.round(v * 10) / 10);

// Every update allocates tens of MB of typed arrays; a collection starting inside one timed call
// (and, with calls alternating, often inside the same side's call) would be charged to it alone.
v8.setFlagsFromString('--expose_gc');
const collectGarbage = vm.runInNewContext('gc');

/** [cpu ms, wall ms] of one call, started on a freshly collected heap. */
function time(fn) {
  collectGarbage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return [(c.user + c.system) / 1000, wall];
}

/** Median [cpu, wall] ms of `ours` and of `theirs`, called alternately so load changes hit both alike. */
function compare(ours, theirs) {
  for (let i = 0; i < WARMUP; i++) {
    ours();
    theirs?.();
  }
  const a = [];
  const b = [];
  for (let i = 0; i < REPS; i++) {
    a.push(time(ours));
    if (theirs) b.push(time(theirs));
  }
  const med = (xs) => [median(xs.map((x) => x[0])), median(xs.map((x) => x[1]))];
  return [med(a), theirs ? med(b) : [null, null]];
}

// warm the forward and backward code paths first, so the first case is not timed while V8 compiles them
{
  const m = mlp();
  for (let i = 0; i < 5; i++) for (const g of Object.values(tf.variableGrads(m.loss, m.vars).grads)) g.dispose();
  m.dispose();
}

const results = [];
for (const [name, cfg, makeTf] of CASES) {
  const mine = mlp();
  const wrapper = new optim.DefaultOptimWrapperConstructor({ optim_wrapper_cfg: { optimizer: cfg } }).build(mine.vars);
  const lossOutput = () => {
    const loss = mine.loss();
    return { loss, logVars: { loss } };
  };
  const update = () => {
    for (const t of Object.values(wrapper.updateParams(lossOutput))) t.dispose();
  };
  const theirs = makeTf ? mlp() : null;
  const tfOpt = makeTf ? makeTf() : null;
  const minimize = tfOpt ? () => tfOpt.minimize(theirs.loss, false, theirs.vars) : null;
  const [updateOurs, updateTf] = compare(update, minimize);

  // the step alone, on fixed gradients
  const ourGrads = tf.variableGrads(mine.loss, mine.vars).grads;
  const gradMap = new Map(mine.vars.map((v) => [v, ourGrads[v.name]]));
  const tfGrads = theirs ? tf.variableGrads(theirs.loss, theirs.vars).grads : null;
  const [stepOurs, stepTf] = compare(() => wrapper.optimizer.step(gradMap), tfOpt ? () => tfOpt.applyGradients(tfGrads) : null);
  for (const g of [...Object.values(ourGrads), ...Object.values(tfGrads ?? {})]) g.dispose();

  const ratio = (a, b) => (b ? Math.round((a / b) * 100) / 100 : null);
  results.push({
    optimizer: name,
    update_ms: round(updateOurs[0]),
    tfjs_update_ms: round(updateTf[0]),
    update_ratio: ratio(updateOurs[0], updateTf[0]),
    step_ms: round(stepOurs[0]),
    tfjs_step_ms: round(stepTf[0]),
    step_ratio: ratio(stepOurs[0], stepTf[0]),
    update_wall_ms: round(updateOurs[1]),
    tfjs_update_wall_ms: round(updateTf[1]),
  });
  wrapper.dispose();
  tfOpt?.dispose();
  mine.dispose();
  theirs?.dispose();
}

console.log(JSON.stringify({ bench: 'optim', backend: tf.getBackend(), params: PARAMS, batch: BATCH, reps: REPS, unit: 'median cpu ms per call', results }));
const human = results
  .map((r) =>
    r.tfjs_update_ms === null
      ? `${r.optimizer} ${r.update_ms} (step ${r.step_ms})`
      : `${r.optimizer} ${r.update_ms} vs ${r.tfjs_update_ms} = ${r.update_ratio}x (step ${r.step_ms} vs ${r.tfjs_step_ms} = ${r.step_ratio}x)`,
  )
  .join('; ');
console.log(
  `optim bench, ${tf.getBackend()} backend, ${PARAMS.toLocaleString('en-US')} params, batch ${BATCH}, median cpu ms of ${REPS}, ours vs tf.train: ${human}`,
);
