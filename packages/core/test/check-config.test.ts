import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../src/index.js';
import { tempDir, toyConfig } from '../src/testing/index.js';

describe('checkConfig (trainkit check): builds everything, trains nothing, reports every problem', () => {
  it('a good config has no problems, writes nothing and leaks no tensor', async () => {
    const workDir = path.join(tempDir(), 'run');
    await checkConfig(toyConfig(workDir)); // first build registers kernels and caches
    const before = tf.memory().numTensors;
    const { errors, config } = await checkConfig(toyConfig(workDir));
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(config?.data.work_dir).toBe(workDir);
    expect(tf.memory().numTensors).toBe(before);
    expect(fs.existsSync(workDir)).toBe(false);
  });

  it('problems in every section at once: keys, loops, hooks, model, data, evaluator, vis backends', async () => {
    const { errors } = await checkConfig(
      toyConfig(tempDir(), {
        total_epochs: 3,
        randomness: { seed: 1, sed: 2 },
        env_cfg: { backend: 'cpu', cudnn_benchmrk: false },
        train_cfg: { by_epoch: true, max_epoch: 2 },
        val_cfg: { fp61: true },
        log_processor: { window_sise: 5 },
        model: { type: 'ToyModle' },
        train_dataloader: { dataset: { type: 'ToyDatset' }, batch_size: 2 },
        val_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2, shufle: false },
        val_evaluator: { type: 'ToyMetrc' },
        custom_hooks: [{ type: 'EmptyCacheHook', after_itr: true, befor_epoch: true }, { type: 'EmptyCacheHok' }],
        default_hooks: { checkpoint: null, logger: null, timer: { type: 'IterTimerHook', interval: 2 } },
        visualizer: { vis_backends: [{ type: 'LocalVisBackend', save_dri: 'x' }, { type: 'LocalVisBackedn' }] },
        load_from: path.join(tempDir(), 'missing.ckpt'),
      }),
    );
    expect(errors.map((e) => e.path)).toEqual([
      'train_cfg.max_epoch',
      'val_cfg.fp61',
      'randomness.sed',
      'env_cfg.cudnn_benchmrk',
      'total_epochs',
      'log_processor.window_sise',
      'load_from',
      'model.type',
      'train_dataloader.dataset.type',
      'val_dataloader.shufle',
      'val_evaluator.type',
      'default_hooks.timer.interval',
      'custom_hooks.0.after_itr',
      'custom_hooks.0.befor_epoch',
      'custom_hooks.1.type',
      'visualizer.vis_backends.0.save_dri',
      'visualizer.vis_backends.1.type',
    ]);
    expect(errors.find((e) => e.path === 'model.type')?.fix).toContain('did you mean "ToyModel"?');
    expect(errors.find((e) => e.path === 'custom_hooks.0.after_itr')?.message).toContain('Did you mean "after_iter"?');
  });

  it('partial (print-config of a _base_ file): what is there is checked, what is missing is not asked for', async () => {
    const { errors } = await checkConfig(
      {
        optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 } },
        log_processor: { window_sise: 2 },
        custom_hooks: [{ type: 'EmptyCacheHook', befor_epoch: true }],
      },
      { partial: true },
    );
    expect(errors.map((e) => e.path)).toEqual(['log_processor.window_sise', 'custom_hooks.0.befor_epoch']);
  });

  it('a config file that cannot be loaded is one problem', async () => {
    const { config, errors } = await checkConfig(path.join(tempDir(), 'nope.json'));
    expect(config).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('config file not found')]);
  });
});
