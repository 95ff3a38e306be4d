import { HOOKS, createRunner } from '@trainkit/core';
import { expect, it } from 'vitest';
import { writeToyConfig } from '../support/toy.js';

it('custom_imports loads npm packages (and package subpaths) by name before building', async () => {
  expect(HOOKS.has('EMAHook')).toBe(false);
  const config = writeToyConfig('by-name', {
    custom_imports: { imports: ['@trainkit/core/testing', '@trainkit/hook-ema'] },
    custom_hooks: [{ type: 'EMAHook', momentum: 0.01 }],
  });
  const runner = await createRunner(config);
  expect(runner.hooks.map((h) => h.displayName)).toContain('EMAHook');
  await runner.train();
  await runner.dispose();
});
