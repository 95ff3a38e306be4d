import * as tf from '@tensorflow/tfjs';
import { ConfigError, createRunner } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { Adam } from '../src/index.js';
import { buildSchedulers, buildWrapper, variable } from './helpers/fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The ConfigError `fn` throws (fails the test if it throws something else or nothing). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('wrong options fail with the config path and the fix', () => {
  const w = variable([1]);

  it('an unknown optimizer, with did-you-mean', () => {
    const e = configError(() => buildWrapper({ optimizer: { type: 'Adma', lr: 0.1 } }, [w]));
    expect(e.path).toBe('optim_wrapper.optimizer.type');
    expect(e.message).toMatch(/"Adma" is not in the trainkit::optimizer registry/);
    expect(e.fix).toMatch(/did you mean "Adam"/);
  });

  it('betas of the wrong length', () => {
    const e = configError(() => buildWrapper({ optimizer: { type: 'AdamW', lr: 0.1, betas: [0.9] } }, [w]));
    expect(e.path).toBe('optim_wrapper.optimizer.betas');
    expect(e.message).toContain('found: [0.9]');
    expect(e.fix).toMatch(/two coefficients \[beta1, beta2\], e\.g\. \[0\.9, 0\.999\]/);
    expect(configError(() => buildWrapper({ optimizer: { type: 'Adam', betas: [0.9, 1] } }, [w])).fix).toMatch(/\[0, 1\)/);
  });

  it("Rprop's etas and step_sizes out of order", () => {
    const etas = configError(() => buildWrapper({ optimizer: { type: 'Rprop', etas: [1.2, 0.5] } }, [w]));
    expect(etas.path).toBe('optim_wrapper.optimizer.etas');
    expect(etas.fix).toBe('give 0 < etaminus < 1 < etaplus, e.g. [0.5, 1.2]');
    const sizes = configError(() => buildWrapper({ optimizer: { type: 'Rprop', step_sizes: [1, 0.1] } }, [w]));
    expect(sizes.path).toBe('optim_wrapper.optimizer.step_sizes');
    expect(sizes.fix).toBe('give 0 < min <= max, e.g. [1e-6, 50]');
    expect(configError(() => buildWrapper({ optimizer: { type: 'ASGD', t0: -1 } }, [w])).path).toBe('optim_wrapper.optimizer.t0');
  });

  it('a negative learning rate', () => {
    const e = configError(() => buildWrapper({ optimizer: { type: 'SGD', lr: -0.1 } }, [w]));
    expect(e.path).toBe('optim_wrapper.optimizer.lr');
    expect(e.message).toContain('found: -0.1');
    expect(e.fix).toBe('give a value >= 0');
  });

  it('an unknown scheduler key, with did-you-mean', () => {
    const wrapper = buildWrapper({ optimizer: { type: 'SGD', lr: 0.1 } }, [w]);
    const e = configError(() => buildSchedulers([{ type: 'LinearLR', start_factr: 0.1 }], wrapper, { epochs: 2, itersPerEpoch: 5 }));
    expect(e.path).toBe('param_scheduler.0.start_factr');
    expect(e.message).toMatch(/unknown option "start_factr" for LinearLR\. Did you mean "start_factor"\?/);
    expect(e.fix).toMatch(/use one of: .*start_factor/);
    wrapper.dispose();
  });

  it('other mistakes name their key too', () => {
    const cases: Array<[() => unknown, string, RegExp]> = [
      [() => buildWrapper({ optimizer: { type: 'SGD' } }, [w]), 'optim_wrapper.optimizer.lr', /required/],
      [() => buildWrapper({ optimizer: { type: 'SGD', lr: 0.1, nesterov: true } }, [w]), 'optim_wrapper.optimizer.nesterov', /momentum > 0/],
      [() => buildWrapper({ optimizer: { type: 'SGD', lr: 0.1 }, clip_grad: {} }, [w]), 'optim_wrapper.clip_grad.max_norm', /add max_norm/],
      [
        () => buildWrapper({ optimizer: { type: 'SGD', lr: 0.1 }, clip_grad: { max_norm: 1 }, grad_clip: { max_norm: 1 } }, [w]),
        'optim_wrapper.grad_clip',
        /only one/,
      ],
      [() => buildWrapper({ optimizer: { type: 'SGD', lr: 0.1 }, accumulative_counts: 0 }, [w]), 'optim_wrapper.accumulative_counts', />/],
      [
        () => buildWrapper({ optimizer: { type: 'SGD', lr: 0.1 }, accumulative_count: 2 }, [w]),
        'optim_wrapper.accumulative_count',
        /Did you mean "accumulative_counts"/,
      ],
      [() => buildWrapper({ type: 'AmpOptimWrapper', optimizer: { type: 'SGD', lr: 0.1 }, loss_scale: 'auto' }, [w]), 'optim_wrapper.loss_scale', /./],
      [() => buildWrapper({ optim: { type: 'SGD', lr: 0.1 } }, [w]), 'optim_wrapper.optimizer', /needs an optimizer/],
    ];
    for (const [fn, path, fix] of cases) {
      const e = configError(fn);
      expect(e.path, e.message).toBe(path);
      expect(e.message, e.message).toMatch(fix);
    }
    const wrapper = buildWrapper({ optimizer: { type: 'SGD', lr: 0.1 } }, [w]);
    const loop = { epochs: 2, itersPerEpoch: 5 };
    const sched: Array<[Record<string, unknown>, string]> = [
      [{ type: 'LinearLR', begin: 3, end: 3 }, 'param_scheduler.0.end'],
      [{ type: 'StepLR', step_size: 2, by_epoch: false, convert_to_iter_based: true }, 'param_scheduler.0.convert_to_iter_based'],
      [{ type: 'CosineRestartLR', periods: [2, 2], restart_weights: [1] }, 'param_scheduler.0.eta_min'],
      [{ type: 'ReduceOnPlateauLR', by_epoch: false }, 'param_scheduler.0.by_epoch'],
      [{ type: 'LinearLR', start_factor: 0 }, 'param_scheduler.0.start_factor'],
      [{ type: 'CosineLR' }, 'param_scheduler.0.type'],
    ];
    for (const [cfg, path] of sched) expect(configError(() => buildSchedulers([cfg], wrapper, loop)).path).toBe(path);
    wrapper.dispose();
  });

  it('direct construction applies the same checks and defaults', () => {
    expect(() => new Adam({ params: [w], betas: [0.9, 0.99, 0.9] as never })).toThrow(/betas/);
    expect(new Adam({ params: [w] }).defaults).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false });
  });
});

describe('through the runner', () => {
  it('reports a wrong optimizer and a wrong scheduler key with their config paths', async () => {
    const runner = await createRunner(
      toyConfig(tempDir(), { optim_wrapper: { optimizer: { type: 'SDG', lr: 0.1 } }, default_hooks: { logger: null, checkpoint: null }, log_level: 'ERROR' }),
    );
    await expect(runner.train()).rejects.toThrow(/optim_wrapper\.optimizer\.type: "SDG" is not in the trainkit::optimizer registry[\s\S]*did you mean "SGD"/);
    await runner.dispose();

    const runner2 = await createRunner(
      toyConfig(tempDir(), {
        optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 } },
        param_scheduler: [{ type: 'MultiStepLR', milestone: [1] }],
        default_hooks: { logger: null, checkpoint: null },
        log_level: 'ERROR',
      }),
    );
    await expect(runner2.train()).rejects.toThrow(/param_scheduler\.0\.milestone: unknown option "milestone" for MultiStepLR\. Did you mean "milestones"\?/);
    await runner2.dispose();
  });
});
