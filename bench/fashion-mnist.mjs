#!/usr/bin/env node
// Fashion-MNIST from config to accuracy: wall time per epoch and the test accuracy reached by the
// example's MLP and CNN on the wasm and cpu backends (the committed 10,000 / 2,000 image subset).
//   pnpm build && node bench/fashion-mnist.mjs [--epochs 5] [--cases mlp:wasm,cnn:wasm,mlp:cpu,cnn:cpu,cnn:webgpu]
//     [--config-dir DIR] (configs as .ts, or as the .json files bench/gpu-pack.mjs resolves them to)
// The CNN on the cpu backend takes about a minute per step, so that case times a few steps and
// extrapolates the epoch (no accuracy).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Hook, createRunner } from '@trainkit/core';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const epochs = Number(arg('--epochs', 5));
const cases = arg('--cases', 'mlp:wasm,cnn:wasm,mlp:cpu,cnn:cpu').split(',');
const configs = path.resolve(arg('--config-dir', path.join(import.meta.dirname, '../examples/fashion-mnist/configs')));
const configFile = (model) => ['ts', 'json'].map((ext) => path.join(configs, `${model}_fashion-mnist.${ext}`)).find((f) => fs.existsSync(f));

/** Wall clock per train epoch. */
class EpochClock extends Hook {
  times = [];
  beforeTrainEpoch() {
    this.t0 = performance.now();
  }
  afterTrainEpoch() {
    this.times.push(performance.now() - this.t0);
  }
}

async function run(model, backend) {
  const probeSteps = model === 'cnn' && backend === 'cpu' ? 3 : 0;
  const cfgOptions = {
    'env_cfg.backend': backend,
    'default_hooks.logger.interval': 1000,
    'train_cfg.max_epochs': epochs,
    'param_scheduler.1.end': epochs,
  };
  if (probeSteps)
    Object.assign(cfgOptions, {
      'train_cfg.max_epochs': 1,
      'train_dataloader.dataset.max_samples': 64 * probeSteps,
      'val_dataloader.dataset.max_samples': 256,
    });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-fmnist-'));
  const t0 = performance.now();
  const runner = await createRunner(configFile(model), { cfgOptions, overrides: { work_dir: workDir, log_level: 'WARNING' } });
  const clock = new EpochClock();
  runner.registerHook(clock, 'HIGHEST');
  await runner.train();
  const total = performance.now() - t0;
  const accuracy = probeSteps ? null : runner.messageHub.getScalar('val/accuracy/top1').current();
  await runner.dispose();
  fs.rmSync(workDir, { recursive: true, force: true });
  const epochMs = probeSteps ? (clock.times[0] / probeSteps) * Math.ceil(10_000 / 64) : clock.times.reduce((a, b) => a + b, 0) / clock.times.length;
  return {
    model,
    backend,
    epochs: probeSteps ? 0 : epochs,
    epoch_s: +(epochMs / 1000).toFixed(2),
    total_s: +(total / 1000).toFixed(1),
    accuracy,
    extrapolated: probeSteps > 0,
  };
}

for (const c of cases) {
  const [model, backend] = c.split(':');
  const r = await run(model, backend);
  console.log(JSON.stringify({ bench: 'fashion-mnist', ...r }));
  console.log(
    r.extrapolated
      ? `${model} on ${backend}: about ${r.epoch_s} s per epoch (extrapolated from ${3} steps)`
      : `${model} on ${backend}: ${r.epoch_s} s per epoch, ${r.accuracy.toFixed(2)}% test accuracy after ${r.epochs} epochs (${r.total_s} s in all, with validation)`,
  );
}
