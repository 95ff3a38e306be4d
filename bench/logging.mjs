/**
 * Cost per iteration of LoggerHook + LocalVisBackend: a no-op model runs through a real Runner
 * without the hook, with it at interval 1 and at interval 50 (text log, vis_data/<ts>.json and
 * scalars.json written; terminal output discarded). The cost is the difference of the median
 * time per iteration against the run without the hook. Target: < 0.02 ms/iter at interval 50.
 *
 *   pnpm --filter @trainkit/core build && pnpm --filter @trainkit/hook-logger build
 *   node bench/logging.mjs [--iters 20000] [--rounds 5]
 *
 * Prints one JSON line, then one line for humans.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BaseModel, DATASETS, MODELS, OPTIM_WRAPPER_CONSTRUCTORS, createRunner } from '../packages/core/dist/index.js';
import '../plugins/hook-logger/dist/index.js';

const { values } = parseArgs({ options: { iters: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '5' } } });
const ITERS = Number(values.iters);
const ROUNDS = Number(values.rounds);

/** Returns fixed log vars: the runtime's own work is all that is measured. */
class NoopModel extends BaseModel {
  step = 0;
  forward() {
    return {};
  }
  trainStep() {
    this.step++;
    return { loss: 1 / this.step, loss_aux: 0.5 / this.step };
  }
}

class IndexDataset {
  metainfo = {};
  constructor(opts = {}) {
    this.length = opts.length ?? 1000;
  }
  getItem(i) {
    return i;
  }
}

const noopWrapper = {
  paramGroups: [{ params: [], lr: 0.01 }],
  updateParams: () => ({}),
  getLr: () => ({ lr: [0.01] }),
  getMomentum: () => ({ momentum: [0] }),
  initializeCountStatus() {},
  stateDict: () => ({}),
  loadStateDict() {},
};

class NoopWrapperConstructor {
  build() {
    return noopWrapper;
  }
}

const from = 'bench/logging.mjs';
MODELS.register('BenchNoopModel', NoopModel, { from });
DATASETS.register('BenchIndexDataset', IndexDataset, { from });
OPTIM_WRAPPER_CONSTRUCTORS.register('BenchNoopWrapperConstructor', NoopWrapperConstructor, { from });

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-bench-logging-'));

/** Seconds per iteration of one run; `logger` is the hook config or null. */
async function timeRun(logger) {
  // the console lines are formatted and written as in a real run, into nothing
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    return await timedTrain(logger);
  } finally {
    process.stdout.write = write;
  }
}

async function timedTrain(logger) {
  const runner = await createRunner({
    work_dir: path.join(root, 'run'),
    model: { type: 'BenchNoopModel' },
    train_dataloader: {
      dataset: { type: 'BenchIndexDataset', length: 1000 },
      batch_size: 1,
      collate_fn: { type: 'pseudo_collate' },
      sampler: { type: 'InfiniteSampler', shuffle: false },
    },
    train_cfg: { by_epoch: false, max_iters: ITERS, val_interval: ITERS * 10 },
    optim_wrapper: { constructor: 'BenchNoopWrapperConstructor' },
    default_hooks: { logger, checkpoint: null, param_scheduler: null },
    log_processor: { by_epoch: false },
    env_cfg: { backend: 'cpu' },
    log_level: 'INFO',
  });
  const t0 = performance.now();
  await runner.train();
  const seconds = (performance.now() - t0) / 1000;
  await runner.dispose();
  return seconds / ITERS;
}

const configs = {
  without: null,
  interval_1: { type: 'LoggerHook', interval: 1, progress: false },
  interval_50: { type: 'LoggerHook', interval: 50, progress: false },
};
const samples = Object.fromEntries(Object.keys(configs).map((k) => [k, []]));
// warm-up: JIT and first-import costs stay out of the figures
for (const cfg of Object.values(configs)) await timeRun(cfg);
for (let r = 0; r < ROUNDS; r++) {
  // rotate the order so drift in machine load spreads over all three
  const keys = Object.keys(configs);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[(i + r) % keys.length];
    samples[key].push(await timeRun(configs[key]));
  }
}
fs.rmSync(root, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (s) => Number((s * 1000).toFixed(5));
const base = median(samples.without);
const cost1 = median(samples.interval_1) - base;
const cost50 = median(samples.interval_50) - base;
const result = {
  bench: 'logging',
  iters: ITERS,
  rounds: ROUNDS,
  node: process.versions.node,
  baseline_ms_per_iter: ms(base),
  interval_1_ms_per_iter: ms(cost1),
  interval_50_ms_per_iter: ms(cost50),
  target_interval_50_ms_per_iter: 0.02,
  pass: cost50 < 0.00002,
};
console.log(JSON.stringify(result));
console.log(
  `LoggerHook + LocalVisBackend cost: ${ms(cost1)} ms/iter at interval 1, ${ms(cost50)} ms/iter at interval 50 ` +
    `(target < 0.02: ${result.pass ? 'met' : 'MISSED'}); runtime without the hook ${ms(base)} ms/iter, median of ${ROUNDS} x ${ITERS} iterations`,
);
