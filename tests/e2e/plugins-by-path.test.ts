import '@trainkit/core/testing';
import { createRunner } from '@trainkit/core';
import { expect, it } from 'vitest';
import { LocalCountingHook } from '../fixtures/configs/local-hook.js';
import { writeToyConfig } from '../support/toy.js';

it('custom_imports loads a .ts file by a path relative to the config', async () => {
  const config = writeToyConfig('by-path', { custom_imports: { imports: ['./local-hook.ts'] }, custom_hooks: [{ type: 'LocalCountingHook' }] });
  const runner = await createRunner(config);
  await runner.train();
  expect(LocalCountingHook.calls).toBe(5);
  await runner.dispose();
});
