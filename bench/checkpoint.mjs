/**
 * Checkpoint speed of @trainkit/hook-checkpoint for a 10M-parameter model with Adam-sized
 * optimizer state (30M float32 values, ~120 MB per checkpoint), on the cpu backend:
 *
 * - save and load throughput (MB/s) of the safetensors checkpoint, next to the raw throughput
 *   of writing the same number of bytes with `fs` (open, one write, fsync, close) into the same
 *   folder. Target: save >= 0.8x raw. Load next to the raw read of the same file (open, one
 *   read into a fresh buffer, close; both from the page cache). Target: load >= 0.8x raw read.
 * - training time added by `async_save` compared with blocking saves: the same run (batch 1,
 *   a checkpoint every --every iterations) without checkpoints, with blocking saves and with
 *   async_save, interleaved. The figure is the time the training thread is held by the
 *   checkpoint hook per save (the whole save when blocking; snapshot, start and any wait for
 *   the previous write with async_save). Target: async < 10% of blocking. The wall-clock
 *   difference of whole runs is printed too; it also counts the background threads competing
 *   for CPUs, and on a small, busy machine it is mostly noise.
 *
 *   pnpm --filter @trainkit/hook-checkpoint... build
 *   node bench/checkpoint.mjs [--dir /path/on/the/disk/to/test] [--repeats 7] [--iters 14] [--every 3] [--train-repeats 3]
 *
 * Prints one JSON line, then one line for humans. Medians over --repeats; timings vary with
 * the disk and with whatever else the machine is doing.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values: flags } = parseArgs({
  options: {
    dir: { type: 'string' },
    repeats: { type: 'string', default: '7' },
    iters: { type: 'string', default: '14' },
    every: { type: 'string', default: '3' },
    'train-repeats': { type: 'string', default: '3' },
  },
});
const REPEATS = Number(flags.repeats);
const ITERS = Number(flags.iters);
const EVERY = Number(flags.every);
const TRAIN_REPEATS = Number(flags['train-repeats']);

let core;
let testing;
let plugin;
try {
  const coreDist = path.join(root, 'packages', 'core', 'dist');
  core = {
    ...(await import(pathToFileURL(path.join(coreDist, 'index.js')).href)),
    ...(await import(pathToFileURL(path.join(coreDist, 'public', 'checkpoint.js')).href)),
  };
  await import(pathToFileURL(path.join(root, 'plugins', 'tasks', 'dist', 'index.js')).href);
  testing = await import(pathToFileURL(path.join(root, 'packages', 'core', 'dist', 'testing', 'index.js')).href);
  plugin = await import(pathToFileURL(path.join(root, 'plugins', 'hook-checkpoint', 'dist', 'index.js')).href);
} catch (e) {
  console.error(`checkpoint: ${e.message}\n  fix: pnpm --filter @trainkit/hook-checkpoint... build`);
  process.exit(1);
}
const tf = createRequire(path.join(root, 'packages', 'core', 'package.json'))('@tensorflow/tfjs');
core.getLogger().level = 'ERROR';

/**
 * SGD that also keeps Adam's two moment buffers per parameter, updated every step: the
 * optimizer state an Adam checkpoint carries (2x the parameters), at a fraction of Adam's
 * compute so the training part of the bench stays short on the cpu backend.
 */
class MomentsSGD {
  constructor(model, lr) {
    this.params = model.namedParameters().map(([, v]) => v);
    this.paramGroups = [{ params: this.params, lr }];
    this.expAvg = this.params.map((p) => tf.variable(tf.zerosLike(p), false));
    this.expAvgSq = this.params.map((p) => tf.variable(tf.zerosLike(p), false));
    this.steps = 0;
  }
  updateParams(lossFn) {
    const lr = this.paramGroups[0].lr;
    return tf.tidy(() => {
      let logVars = {};
      const { grads } = tf.variableGrads(() => {
        const out = lossFn();
        for (const k in out.logVars) tf.keep(out.logVars[k]);
        logVars = out.logVars;
        return out.loss;
      }, this.params);
      this.steps++;
      this.params.forEach((p, i) => {
        const g = grads[p.name];
        this.expAvg[i].assign(g);
        this.expAvgSq[i].assign(g.square());
        p.assign(p.sub(g.mul(lr)));
      });
      return logVars;
    });
  }
  getLr() {
    return { lr: [this.paramGroups[0].lr] };
  }
  getMomentum() {
    return { momentum: [0.9] };
  }
  initializeCountStatus() {}
  stateDict() {
    const state = {};
    this.params.forEach((_, i) => {
      state[i] = { step: this.steps, exp_avg: this.expAvg[i], exp_avg_sq: this.expAvgSq[i] };
    });
    return { state, param_groups: [{ lr: this.paramGroups[0].lr, betas: [0.9, 0.999], eps: 1e-8, params: this.params.map((_, i) => i) }] };
  }
  loadStateDict() {}
  dispose() {
    for (const v of [...this.expAvg, ...this.expAvgSq]) v.dispose();
  }
}
core.OPTIM_WRAPPER_CONSTRUCTORS.register(
  'BenchMomentsConstructor',
  class {
    build(model) {
      return new MomentsSGD(model, 1e-3);
    }
  },
  { force: true },
);

// 2048 -> 4864 -> 2: 9,976,066 parameters
const FEATURES = 2048;
const HIDDEN = 4864;
const work = flags.dir ? path.resolve(flags.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-bench-ckpt-'));
fs.mkdirSync(work, { recursive: true });

function config(workDir, checkpoint, iters = ITERS) {
  return testing.toyConfig(workDir, {
    model: { type: 'LayersClassifier', layers: [{ type: 'dense', units: HIDDEN, activation: 'relu', input_shape: [FEATURES] }], num_classes: 2 },
    train_dataloader: { dataset: { type: 'ToyDataset', features: FEATURES, length: 64 }, batch_size: 1, sampler: { type: 'DefaultSampler', shuffle: true } },
    train_cfg: { type: 'IterBasedTrainLoop', max_iters: iters, val_interval: 1e9 },
    val_dataloader: null,
    val_cfg: null,
    val_evaluator: null,
    optim_wrapper: { constructor: 'BenchMomentsConstructor' },
    default_hooks: { logger: null, param_scheduler: null, checkpoint },
    log_level: 'ERROR',
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => performance.now();
const quiet = async (fn) => {
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
};

// ---- save / load throughput against raw fs --------------------------------------------------

const runner = await quiet(() => core.createRunner(config(path.join(work, 'throughput'), null, 1)));
await runner.train(); // one step gives the optimizer its state
const params = runner.model.namedParameters().reduce((n, [, v]) => n + v.size, 0);
const saveTimes = [];
const loadTimes = [];
const rawTimes = [];
const rawReadTimes = [];
let bytes = 0;
let raw;
const ckptDir = path.join(work, 'files');
fs.mkdirSync(ckptDir, { recursive: true });
/**
 * Deleting a 120 MB file leaves work for the file system's next journal commit, which the next
 * fsync would pay for; flushing the folder first gives every timed write the same start.
 */
const settle = () => {
  const fd = fs.openSync(ckptDir, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
};
for (let r = 0; r < REPEATS; r++) {
  // alternate which write goes first, so neither always follows the other's flush
  const order = r % 2 ? ['raw', 'save'] : ['save', 'raw'];
  let file;
  for (const what of order) {
    settle();
    const t = now();
    if (what === 'save') {
      file = await runner.saveCheckpoint(ckptDir, 'bench.safetensors');
      saveTimes.push(now() - t);
      bytes = fs.statSync(file).size;
    } else {
      // allocated once: a fresh 120 MB buffer per round would put GC pauses into the timings
      raw ??= Buffer.alloc(bytes || 119_720_000, 7);
      const fd = fs.openSync(path.join(ckptDir, 'raw.bin'), 'w');
      fs.writeSync(fd, raw);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      rawTimes.push(now() - t);
    }
  }
  fs.rmSync(path.join(ckptDir, 'raw.bin'));
  // load against the raw read of the same file (open, one read into a fresh buffer, close),
  // both from the page cache; alternated like the writes
  for (const what of r % 2 ? ['raw', 'load'] : ['load', 'raw']) {
    const t = now();
    if (what === 'load') {
      const ckpt = await new plugin.SafetensorsCheckpoint().load(file);
      loadTimes.push(now() - t);
      core.disposeCheckpoint(ckpt);
    } else {
      const fd = fs.openSync(file, 'r');
      const buf = Buffer.allocUnsafeSlow(fs.fstatSync(fd).size);
      fs.readSync(fd, buf, 0, buf.length, 0);
      fs.closeSync(fd);
      rawReadTimes.push(now() - t);
    }
  }
  fs.rmSync(file);
}
await runner.dispose();
const mbps = (ms) => bytes / 1e6 / (ms / 1e3);
const save = mbps(median(saveTimes));
const load = mbps(median(loadTimes));
const rawSpeed = mbps(median(rawTimes));
const rawReadSpeed = mbps(median(rawReadTimes));
const loadVsRaw = median(loadTimes.map((t, i) => rawReadTimes[i] / t));
// each save is paired with the raw write of its round: their ratio is steadier than the medians'
const saveVsRaw = median(saveTimes.map((t, i) => rawTimes[i] / t));

// ---- training time added by blocking saves and by async_save -----------------------------

/**
 * One run; returns its wall-clock time and the time the training thread spent inside the
 * checkpoint hook (saving, or with async_save: snapshotting and waiting for the previous write).
 */
async function trainRun(kind) {
  const ckpt = kind === 'none' ? null : { type: 'CheckpointHook', by_epoch: false, interval: EVERY, save_last: false, async_save: kind === 'async' };
  const r = await quiet(() => core.createRunner(config(path.join(work, `train-${kind}`), ckpt)));
  let held = 0;
  const hook = r.hooks.find((h) => h instanceof plugin.CheckpointHook);
  for (const point of ['afterTrainIter', 'afterRun']) {
    if (!hook) break;
    const original = hook[point].bind(hook);
    hook[point] = async (...args) => {
      const t = now();
      await original(...args);
      held += now() - t;
    };
  }
  const t = now();
  await r.train();
  const wall = now() - t;
  await r.dispose();
  return { wall, held };
}
const runs = { none: [], blocking: [], async: [] };
// interleaved, so that changes in machine load hit every kind alike
for (let i = 0; i < TRAIN_REPEATS; i++) for (const kind of ['none', 'blocking', 'async']) runs[kind].push(await trainRun(kind));
const med = (kind, key) => median(runs[kind].map((x) => x[key]));
const saves = Math.floor(ITERS / EVERY); // save_last off: the last save is followed by training
const heldBlocking = med('blocking', 'held');
const heldAsync = med('async', 'held');
const wallAddedBlocking = med('blocking', 'wall') - med('none', 'wall');
const wallAddedAsync = med('async', 'wall') - med('none', 'wall');
fs.rmSync(work, { recursive: true, force: true });

const result = {
  bench: 'checkpoint',
  params,
  checkpoint_mb: +(bytes / 1e6).toFixed(1),
  save_mb_s: Math.round(save),
  load_mb_s: Math.round(load),
  raw_write_mb_s: Math.round(rawSpeed),
  raw_read_mb_s: Math.round(rawReadSpeed),
  load_vs_raw: +loadVsRaw.toFixed(2),
  save_vs_raw: +saveVsRaw.toFixed(2),
  saves,
  held_ms_per_save: { blocking: Math.round(heldBlocking / saves), async: Math.round(heldAsync / saves) },
  async_vs_blocking: +(heldAsync / heldBlocking).toFixed(3),
  wall_ms: { none: Math.round(med('none', 'wall')), blocking: Math.round(med('blocking', 'wall')), async: Math.round(med('async', 'wall')) },
  wall_added_ms_per_save: { blocking: Math.round(wallAddedBlocking / saves), async: Math.round(wallAddedAsync / saves) },
  node: process.versions.node,
  cpus: os.cpus().length,
  loadavg: +os.loadavg()[0].toFixed(1),
};
console.log(JSON.stringify(result));
console.log(
  `checkpoint: ${(params / 1e6).toFixed(1)}M params + Adam state = ${result.checkpoint_mb} MB; save ${result.save_mb_s} MB/s, load ${result.load_mb_s} MB/s, raw fs write ${result.raw_write_mb_s} MB/s (save ${result.save_vs_raw}x raw, target >= 0.8), raw read ${result.raw_read_mb_s} MB/s (load ${result.load_vs_raw}x raw, target >= 0.8); ` +
    `a save holds training ${result.held_ms_per_save.blocking} ms blocking, ${result.held_ms_per_save.async} ms with async_save (${(100 * result.async_vs_blocking).toFixed(1)}%, target < 10%); ` +
    `wall-clock added per save ${result.wall_added_ms_per_save.blocking} / ${result.wall_added_ms_per_save.async} ms (load average ${result.loadavg} on ${result.cpus} CPUs)`,
);
