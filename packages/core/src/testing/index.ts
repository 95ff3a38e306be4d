/**
 * Test helpers for trainkit and its plugins: MMEngine's toy model, dataset and metric, a minimal
 * SGD wrapper, and a config for a short run. Import from `@trainkit/core/testing`.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { DATASETS, METRICS, MODELS, OPTIM_WRAPPER_CONSTRUCTORS } from '../registry/root.js';
import { ToyModel } from './toy-model.js';
import { ToyDataset, ToyMetric } from './toy-data.js';
import { SimpleSGDConstructor, SimpleSGDWrapper } from './simple-sgd.js';
import type { ConfigObject } from '../config/merge.js';

export { ToyModel, ToyDataset, ToyMetric, SimpleSGDConstructor, SimpleSGDWrapper };

const from = '@trainkit/core/testing';
MODELS.register('ToyModel', ToyModel, { from, force: true });
DATASETS.register('ToyDataset', ToyDataset, { from, force: true });
METRICS.register('ToyMetric', ToyMetric, { from, force: true });
OPTIM_WRAPPER_CONSTRUCTORS.register('SimpleSGDConstructor', SimpleSGDConstructor, { from, force: true });

/** A fresh temporary folder. */
export function tempDir(prefix = 'trainkit-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * MMEngine's seed setup: 10 samples, batch 2 (5 iterations per epoch), val batch 2, SGD lr 0.1.
 * Without @trainkit/optim the optimizer is the SimpleSGD test wrapper.
 */
export function toyConfig(workDir: string, overrides: ConfigObject = {}): ConfigObject {
  return {
    work_dir: workDir,
    model: { type: 'ToyModel' },
    train_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2, sampler: { type: 'DefaultSampler', shuffle: true } },
    train_cfg: { by_epoch: true, max_epochs: 2, val_interval: 1 },
    optim_wrapper: { constructor: 'SimpleSGDConstructor', optimizer: { type: 'SGD', lr: 0.1 } },
    val_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2, sampler: { type: 'DefaultSampler', shuffle: false } },
    val_cfg: {},
    val_evaluator: { type: 'ToyMetric' },
    randomness: { seed: 42 },
    env_cfg: { backend: 'cpu' },
    log_level: 'WARNING',
    ...overrides,
  };
}

export { expectManifestMatches } from './manifest.js';
export { registerThirdPartyBackend } from './third-party-backend.js';
