import '@trainkit/core/testing';
import { HOOKS, PARAM_SCHEDULERS, createRunner } from '@trainkit/core';
import { expect, it } from 'vitest';
import { writeToyConfig } from '../support/toy.js';

it('a type named in the config is imported from the installed package whose manifest declares it', async () => {
  expect(HOOKS.has('EMAHook')).toBe(false);
  expect(PARAM_SCHEDULERS.has('CosineAnnealingLR')).toBe(false);
  const config = writeToyConfig('by-manifest', {
    custom_hooks: [{ type: 'EMAHook', momentum: 0.01 }],
    param_scheduler: [{ type: 'CosineAnnealingLR', by_epoch: false, T_max: 5 }],
  });
  const runner = await createRunner(config);
  expect(HOOKS.has('EMAHook')).toBe(true);
  expect(PARAM_SCHEDULERS.has('CosineAnnealingLR')).toBe(true);
  await runner.train();
  await runner.dispose();
});

it('a type no installed package provides fails with the package to add', async () => {
  const config = writeToyConfig('missing', { custom_hooks: [{ type: 'EarlyStoppingHook', monitor: 'toy/acc' }] });
  await expect(createRunner(config)).rejects.toThrow(
    /custom_hooks\.0\.type: "EarlyStoppingHook" is not in the trainkit::hook registry[\s\S]*pnpm add @trainkit\/hook-early-stopping/,
  );
});
