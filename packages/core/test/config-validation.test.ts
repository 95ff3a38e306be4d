import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Config, ConfigError, createRunner, z } from '../src/index.js';
import { ConfigErrorList, declareTopLevelKey, validateConfig } from '../src/public/config.js';
import { LEGACY_KEYS } from '../src/config/legacy-keys.js';
import { tempDir, toyConfig } from '../src/testing/index.js';

const fixtures = path.join(import.meta.dirname, 'fixtures/config');

/** The one error `validateConfig` finds in `cfg`. */
function oneError(cfg: Record<string, unknown>): ConfigError {
  const errors = validateConfig(cfg);
  expect(errors.map((e) => e.message)).toHaveLength(1);
  return errors[0];
}

describe('MMEngine 0.x keys are refused with their replacement (migration guide)', () => {
  const cases: Array<[string, unknown, string[]]> = [
    ['checkpoint_config', { interval: 1 }, ['default_hooks.checkpoint']],
    ['log_config', { interval: 50, hooks: [{ type: 'TextLoggerHook' }] }, ['default_hooks.logger', 'log_processor']],
    ['evaluation', { interval: 1, metric: 'accuracy' }, ['val_cfg', 'train_cfg.val_interval', 'default_hooks.checkpoint.save_best']],
    ['workflow', [['train', 1]], ['train_cfg', 'val_cfg']],
    ['total_epochs', 3, ['train_cfg.max_epochs']],
    ['total_iters', 1000, ['train_cfg.max_iters']],
    ['runner', { type: 'EpochBasedRunner', max_epochs: 12 }, ['train_cfg', 'by_epoch: true']],
    ['dist_params', { backend: 'nccl' }, ['env_cfg.dist_cfg']],
    ['optimizer', { type: 'SGD', lr: 0.01 }, ['optim_wrapper.optimizer']],
    ['optimizer_config', { grad_clip: null }, ['optim_wrapper', 'clip_grad', 'accumulative_counts']],
    ['lr_config', { policy: 'step', step: [8, 11] }, ['param_scheduler', 'MultiStepLR']],
    ['momentum_config', { policy: 'cyclic' }, ['param_scheduler']],
    ['resume_from', 'a.ckpt', ['load_from', 'resume: true']],
    ['fp16', { loss_scale: 512 }, ['AmpOptimWrapper']],
    ['data', { samples_per_gpu: 2 }, ['train_dataloader', 'batch_size']],
  ];
  for (const [key, value, replacements] of cases) {
    it(`${key} -> ${replacements.join(' + ')}`, () => {
      const err = oneError({ work_dir: 'w', [key]: value });
      expect(err.path).toBe(key);
      expect(err.message).toContain(`"${key}" is an MMEngine 0.x (MMCV) key`);
      for (const r of replacements) expect(err.message).toContain(r);
      expect(err.fix).toMatch(/^write .*, and remove /);
    });
  }

  it('every key of the table is refused', () => {
    for (const key of Object.keys(LEGACY_KEYS)) expect(oneError({ [key]: 1 }).message).toContain(LEGACY_KEYS[key].replacement);
  });

  it('custom_imports in list form, and MMCV runner types in train_cfg', () => {
    expect(oneError({ custom_imports: ['my_module'] }).fix).toContain('custom_imports: { imports: ["my_module"], allow_failed_imports: false }');
    const err = oneError({ train_cfg: { type: 'IterBasedRunner', max_iters: 10 } });
    expect(err.path).toBe('train_cfg.type');
    expect(err.fix).toContain('by_epoch: false');
  });
});

describe('every section is validated: path, value, did-you-mean, the valid keys', () => {
  it('an unknown top-level key', () => {
    const err = oneError({ trian_cfg: { max_epochs: 1 } });
    expect(err.path).toBe('trian_cfg');
    expect(err.message).toContain('unknown top-level key "trian_cfg"');
    expect(err.message).toContain('Did you mean "train_cfg"?');
    expect(err.fix).toContain('use one of: custom_imports, default_scope, work_dir');
  });

  it('a section option at the top level points to its section', () => {
    expect(oneError({ max_epochs: 1 }).message).toContain('Did you mean train_cfg.max_epochs?');
  });

  const sections: Array<[string, Record<string, unknown>, string, string, string]> = [
    ['randomness', { randomness: { seed: 1, determinstic: true } }, 'randomness.determinstic', '"deterministic"', 'seed, deterministic, diff_rank_seed'],
    ['env_cfg', { env_cfg: { backend: 'cpu', cudnn_benchmrk: true } }, 'env_cfg.cudnn_benchmrk', '"cudnn_benchmark"', 'backend, num_threads'],
    [
      'env_cfg.mp_cfg',
      { env_cfg: { mp_cfg: { opencv_num_thread: 0 } } },
      'env_cfg.mp_cfg.opencv_num_thread',
      '"opencv_num_threads"',
      'mp_start_method, opencv_num_threads',
    ],
    ['env_cfg.dist_cfg', { env_cfg: { dist_cfg: { backnd: 'gloo' } } }, 'env_cfg.dist_cfg.backnd', '"backend"', 'backend, timeout, init_method'],
    ['train_cfg (by epoch)', { train_cfg: { max_epoch: 2 } }, 'train_cfg.max_epoch', '"max_epochs"', 'max_epochs, val_begin, val_interval'],
    ['train_cfg (by iter)', { train_cfg: { by_epoch: false, max_iters: 5, val_intervl: 1 } }, 'train_cfg.val_intervl', '"val_interval"', 'max_iters'],
    ['val_cfg', { val_cfg: { fp61: true } }, 'val_cfg.fp61', '"fp16"', 'fp16'],
    ['test_cfg', { test_cfg: { fp61: true } }, 'test_cfg.fp61', '"fp16"', 'fp16'],
    ['log_processor', { log_processor: { window_sise: 5 } }, 'log_processor.window_sise', '"window_size"', 'window_size, by_epoch, custom_cfg'],
    ['visualizer', { visualizer: { vis_backend: [] } }, 'visualizer.vis_backend', '"vis_backends"', 'name, vis_backends, save_dir'],
    ['auto_scale_lr', { auto_scale_lr: { base_batch: 16 } }, 'auto_scale_lr.base_batch', '"base_batch_size"', 'base_batch_size, enable'],
    ['custom_imports', { custom_imports: { import: ['x'] } }, 'custom_imports.import', '"imports"', 'imports, allow_failed_imports'],
  ];
  for (const [name, cfg, at, hint, valid] of sections) {
    it(name, () => {
      const err = oneError(cfg);
      expect(err.path).toBe(at);
      expect(err.message).toContain(`Did you mean ${hint}`);
      expect(err.fix).toContain(`use one of: ${valid}`);
    });
  }

  it('values of the wrong shape, with what was found', () => {
    const err = oneError({ randomness: { seed: 'forty-two' } });
    expect(err.path).toBe('randomness.seed');
    expect(err.message).toContain('found: "forty-two"');
    expect(oneError({ env_cfg: { mp_cfg: { mp_start_method: 'thread' } } }).fix).toContain('"fork", "spawn", "forkserver"');
    expect(oneError({ env_cfg: { dist_cfg: 'gloo' } }).path).toBe('env_cfg.dist_cfg');
    expect(oneError({ launcher: 'torchrun' }).fix).toContain('"none", "pytorch", "slurm", "mpi"');
    expect(oneError({ model_wrapper_cfg: 'MMDistributedDataParallel' }).path).toBe('model_wrapper_cfg');
    expect(oneError({ log_level: 'LOUD' }).message).toContain('unknown log level');
    expect(oneError({ resume: 1 }).path).toBe('resume');
    expect(oneError({ train_cfg: { max_epochs: 0 } }).fix).toContain('give a value > 0');
    expect(oneError({ val_cfg: { type: 'ValLop' } }).message).toContain('"ValLop" is not in the trainkit::loop registry');
  });

  it('keys whose behaviour is another part of the issue keep their shape checked, and compile is refused', () => {
    expect(
      validateConfig({
        launcher: 'pytorch',
        model_wrapper_cfg: { type: 'MMDistributedDataParallel', find_unused_parameters: true },
        env_cfg: { cudnn_benchmark: false, mp_cfg: { mp_start_method: 'fork', opencv_num_threads: 0 }, dist_cfg: { backend: 'gloo' } },
        randomness: { seed: 1, deterministic: true, diff_rank_seed: true },
        compile: false,
      }),
    ).toEqual([]);
    expect(oneError({ compile: true }).message).toContain('compile is not supported');
  });

  it('collects every problem instead of stopping at the first', () => {
    const errors = validateConfig({
      total_epochs: 3,
      randomness: { sed: 1 },
      env_cfg: { legacy_key: 1 },
      train_cfg: { max_epoch: 2, val_intervl: 1 },
      log_processor: { window_sise: 5 },
      max_epochs: 1,
    });
    expect(errors.map((e) => e.path)).toEqual([
      'total_epochs',
      'randomness.sed',
      'env_cfg.legacy_key',
      'train_cfg.max_epoch',
      'train_cfg.val_intervl',
      'log_processor.window_sise',
      'max_epochs',
    ]);
  });

  it('a plugin may declare a top-level key, checked by its schema', () => {
    declareTopLevelKey('my_plugin_cfg', z.strictObject({ level: z.number() }), 'trainkit-plugin-test');
    expect(validateConfig({ my_plugin_cfg: { level: 1 } })).toEqual([]);
    expect(oneError({ my_plugin_cfg: { levl: 1 } }).message).toContain('Did you mean "level"?');
    expect(() => declareTopLevelKey('train_cfg', z.unknown(), 'trainkit-plugin-test')).toThrow('already declared by trainkit');
  });
});

describe('config variables and overrides', () => {
  it('base keys a child reads ({{ _base_.x }}) are variables; an unread one is still an unknown key', async () => {
    const cfg = await Config.fromFile(path.join(fixtures, 'variables/child.json'));
    expect((cfg.data.train_dataloader as Record<string, unknown>).batch_size).toBe(2);
    const errors = validateConfig(cfg.data, { variables: cfg.variables });
    expect(errors.map((e) => e.path)).toEqual(['unused_variable']);
  });

  it('the runner refuses a half-migrated config before it creates anything', async () => {
    const workDir = path.join(tempDir(), 'never-created');
    const err = await createRunner(toyConfig(workDir, { total_epochs: 3, checkpoint_config: { interval: 1 } })).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigErrorList);
    expect(err.message).toContain('2 problems in the config');
    expect(err.message).toContain('train_cfg.max_epochs');
    expect(err.message).toContain('default_hooks.checkpoint');
    expect(fs.existsSync(workDir)).toBe(false);
  });

  it('--cfg-options max_epochs=1 is refused, naming the option and where the key lives', async () => {
    const err = await createRunner(toyConfig(tempDir()), { cfgOptions: { max_epochs: 1 } }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('max_epochs: unknown top-level key "max_epochs" (set by --cfg-options max_epochs=...)');
    expect(err.message).toContain('Did you mean train_cfg.max_epochs?');
    const nested = await createRunner(toyConfig(tempDir()), { cfgOptions: { 'train_cfg.max_epoch': 1 } }).catch((e) => e);
    expect(nested.message).toContain('train_cfg.max_epoch: unknown option "max_epoch" for EpochBasedTrainLoop');
  });
});

describe('typed configs reject what the run-time check rejects (checked by tsc: pnpm typecheck)', () => {
  it('defineConfig types follow the section schemas', async () => {
    const { defineConfig } = await import('../src/index.js');
    const good = defineConfig({
      randomness: { seed: 1, deterministic: true, diff_rank_seed: false },
      env_cfg: { backend: 'cpu', cudnn_benchmark: false, mp_cfg: { opencv_num_threads: 0 }, dist_cfg: { backend: 'gloo' } },
      train_cfg: { by_epoch: false, max_iters: 10, val_interval: 5 },
      val_cfg: { fp16: false },
      log_processor: { window_size: 5, by_epoch: false },
      launcher: 'none',
    });
    expect(validateConfig(good as unknown as Record<string, unknown>)).toEqual([]);
    const typos = [
      // @ts-expect-error unknown key in env_cfg (no index signature any more)
      defineConfig({ env_cfg: { cudnn_benchmrk: true } }),
      // @ts-expect-error unknown key in randomness
      defineConfig({ randomness: { sed: 1 } }),
      // @ts-expect-error max_epoch is not an option of the epoch-based loop
      defineConfig({ train_cfg: { max_epoch: 2 } }),
      // @ts-expect-error an unknown top-level key
      defineConfig({ total_epochs: 3 }),
      // @ts-expect-error unknown key in log_processor
      defineConfig({ log_processor: { window_sise: 3 } }),
      // @ts-expect-error compile has no TensorFlow.js counterpart
      defineConfig({ compile: true }),
    ];
    for (const cfg of typos) expect(validateConfig(cfg as unknown as Record<string, unknown>)).toHaveLength(1);
  });
});
