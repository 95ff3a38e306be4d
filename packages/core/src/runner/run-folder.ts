import * as fs from 'node:fs';
import * as path from 'node:path';
import { getLogger } from '../logging/logger.js';
import { didYouMean } from '../utils/did-you-mean.js';
import type { ConfigObject } from '../config/merge.js';

/** `YYYYMMDD_HHMMSS` in local time, as MMEngine names run folders. */
export function timestampNow(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * `<work_dir>/<timestamp>`, created; a second run started in the same second gets `_1`, `_2`
 * (MMEngine would share one folder and one logger between them).
 */
export function uniqueLogDir(workDir: string, timestamp: string): string {
  for (let i = 0; ; i++) {
    const dir = path.join(workDir, i === 0 ? timestamp : `${timestamp}_${i}`);
    try {
      fs.mkdirSync(dir, { recursive: false });
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Keys the runner reads; anything else at the top level gets a "did you mean" warning. */
export const KNOWN_TOP_LEVEL_KEYS = [
  'custom_imports',
  'default_scope',
  'work_dir',
  'experiment_name',
  'model',
  'data_preprocessor',
  'train_dataloader',
  'val_dataloader',
  'test_dataloader',
  'train_cfg',
  'val_cfg',
  'test_cfg',
  'val_evaluator',
  'test_evaluator',
  'optim_wrapper',
  'param_scheduler',
  'auto_scale_lr',
  'default_hooks',
  'custom_hooks',
  'load_from',
  'resume',
  'env_cfg',
  'log_level',
  'log_processor',
  'visualizer',
  'randomness',
  'launcher',
  'model_wrapper_cfg',
  'dist_params',
  'cfg',
];

export function checkTopLevelKeys(cfg: ConfigObject): void {
  for (const key of Object.keys(cfg)) {
    if (KNOWN_TOP_LEVEL_KEYS.includes(key)) continue;
    const hint = didYouMean(key, KNOWN_TOP_LEVEL_KEYS);
    // extra top-level values are normal in MMEngine configs (dataset_type, data_root, ...);
    // only a near miss of a runner key is worth a warning
    if (hint) getLogger().warn(`config key "${key}" is not read by the runner.${hint}`);
  }
}

/**
 * Removes the run folder of a run that failed before it started (it holds nothing but the
 * start of a log), and `workDir` too when this run created it and it is now empty.
 */
export function removeFailedRunFolder(logDir: string, createdWorkDir?: string): void {
  try {
    fs.rmSync(logDir, { recursive: true, force: true });
    if (createdWorkDir && fs.readdirSync(createdWorkDir).length === 0) fs.rmdirSync(createdWorkDir);
  } catch {
    // best effort: the error that stopped the run is what the user needs to see
  }
}
