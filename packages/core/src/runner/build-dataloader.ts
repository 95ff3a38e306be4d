import { z } from 'zod';
import { type CollateFunction, defaultCollate } from '../data/collate.js';
import { DataLoader } from '../data/dataloader.js';
import type { Dataset } from '../data/dataset.js';
import type { Sampler } from '../data/sampler.js';
import { StreamDataLoader, isStreamDataset } from '../data/stream-dataset.js';
import { ConfigError } from '../errors.js';
import { COLLATE_FUNCTIONS, DATASETS, DATA_SAMPLERS } from '../registry/root.js';
import { defineOptions, parseOptions } from '../registry/options.js';

const dataloaderOptions = defineOptions({
  dataset: z.unknown(),
  batch_size: z.number().int().positive().default(1),
  sampler: z.unknown().optional(),
  shuffle: z.boolean().optional(),
  drop_last: z.boolean().default(false),
  collate_fn: z.unknown().optional(),
  prefetch: z.number().int().min(0).default(2),
  num_workers: z.number().int().min(0).optional(),
  persistent_workers: z.boolean().optional(),
  pin_memory: z.boolean().optional(),
  batch_sampler: z.unknown().optional(),
});

function isDataset(v: unknown): v is Dataset<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as Dataset).getItem === 'function';
}

/**
 * Builds a DataLoader from MMEngine's dataloader config: `dataset`, `sampler` (DefaultSampler
 * shuffling for training by default, seeded with the run's seed), `batch_size`, `collate_fn`.
 */
export function buildDataLoader(cfg: unknown, path: string, seed: number, training: boolean): DataLoader {
  if (cfg instanceof DataLoader) return cfg;
  const o = parseOptions(dataloaderOptions, cfg, path, 'dataloader');
  if (o.dataset === undefined) throw new ConfigError('a dataloader needs a dataset', { path: `${path}.dataset`, fix: "add dataset: {type: '...', ...}" });
  if (isStreamDataset(o.dataset)) {
    return new StreamDataLoader({
      dataset: o.dataset,
      batch_size: o.batch_size,
      drop_last: o.drop_last,
      collate_fn: buildCollate(o.collate_fn, `${path}.collate_fn`),
      seed,
    });
  }
  const dataset = isDataset(o.dataset) ? o.dataset : DATASETS.build<Dataset<unknown>>(o.dataset, {}, `${path}.dataset`);
  const samplerCfg = (o.sampler ?? { type: 'DefaultSampler', shuffle: o.shuffle ?? training }) as Record<string, unknown>;
  const sampler =
    typeof (samplerCfg as unknown as Sampler).indices === 'function'
      ? (samplerCfg as unknown as Sampler)
      : DATA_SAMPLERS.build<Sampler>(samplerCfg, { dataset, seed }, `${path}.sampler`);
  return new DataLoader({
    dataset,
    sampler,
    batch_size: o.batch_size,
    drop_last: o.drop_last,
    collate_fn: buildCollate(o.collate_fn, `${path}.collate_fn`),
    prefetch: o.prefetch,
  });
}

function buildCollate(cfg: unknown, path: string): CollateFunction {
  if (cfg === undefined) return defaultCollate;
  if (typeof cfg === 'function') return cfg as CollateFunction;
  const type = (cfg as { type?: unknown })?.type;
  if (typeof type !== 'string') throw new ConfigError('collate_fn must be a function or {type: name}', { path, found: cfg });
  const fn = COLLATE_FUNCTIONS.resolve(type, path).target;
  return fn as CollateFunction;
}
