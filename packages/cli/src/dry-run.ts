import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Config, type ConfigObject } from '@trainkit/core';
import { isPlainObject } from '@trainkit/core/config';

/** Batches of train, val and test a dry run goes through (Lightning's fast_dev_run takes 1). */
export const DRY_RUN_BATCHES = 2;

const obj = (v: unknown): ConfigObject | undefined => (isPlainObject(v) ? (v as ConfigObject) : undefined);

function without(o: ConfigObject, ...keys: string[]): ConfigObject {
  const copy = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
}

/**
 * The config of a dry run (Lightning's `fast_dev_run`): a few batches of train, one validation
 * and a test over a few batches, everything written to a temporary work_dir that is removed
 * afterwards. Vis backends other than LocalVisBackend are off (a W&B or TensorBoard folder
 * outside the work_dir would be kept), as Lightning turns its loggers off.
 */
export function dryRunConfig(cfg: Config, workDir: string, batches = DRY_RUN_BATCHES): Config {
  const data: ConfigObject = { ...cfg.data, work_dir: workDir, resume: false };
  const train = obj(data.train_cfg);
  if (train) {
    const iterBased = train.by_epoch === false || 'max_iters' in train || train.type === 'IterBasedTrainLoop';
    const schedule = iterBased ? { max_iters: batches, val_interval: batches } : { max_epochs: 1, val_begin: 1, val_interval: 1 };
    data.train_cfg = { ...without(train, 'max_time', 'dynamic_intervals'), ...schedule, limit_train_batches: batches };
  }
  for (const mode of ['val', 'test'] as const) {
    const loop = obj(data[`${mode}_cfg`]);
    if (loop) data[`${mode}_cfg`] = { ...loop, [`limit_${mode}_batches`]: batches };
  }
  const visualizer = obj(data.visualizer);
  if (visualizer) data.visualizer = { ...visualizer, vis_backends: [{ type: 'LocalVisBackend' }] };
  const hooks = obj(data.default_hooks);
  if (hooks) {
    // folders a hook would write outside the work_dir
    const redirected = { ...hooks };
    for (const name of ['checkpoint', 'logger']) {
      const h = obj(hooks[name]);
      if (h && 'out_dir' in h) redirected[name] = without(h, 'out_dir');
    }
    // every one of the few iterations gets its line
    const logger = obj(redirected.logger);
    if (logger) redirected.logger = { ...logger, interval: 1 };
    data.default_hooks = redirected;
  }
  return Config.fromObject(data, cfg.filename);
}

/** A temporary work_dir for a dry run. */
export function dryRunWorkDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-dry-run-'));
}
