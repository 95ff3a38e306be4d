import { describe, expect, it } from 'vitest';
import { ConfigError, HOOKS, Hook, type Runner, createRunner } from '../src/index.js';
import { tempDir, toyConfig } from '../src/testing/index.js';

/** A hook as an MMEngine user would first port it: Python's method names. */
class SnakeCaseHook extends Hook {
  calls = 0;
  after_train_iter(_runner: Runner): void {
    this.calls++;
  }
  before_run(): void {}
}
HOOKS.register('SnakeCaseHook', SnakeCaseHook, { force: true });

/** Extends a well-named hook; the snake_case method sits on the subclass. */
class CamelBase extends Hook {
  override afterTrainIter(): void {}
}
class SnakeSubclass extends CamelBase {
  _after_iter(): void {}
}

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('snake_case hook methods (MMEngine names) fail at build time', () => {
  it('names the hook, its config path and the camelCase method to use', async () => {
    const err = await errorOf(createRunner(toyConfig(tempDir(), { custom_hooks: [{ type: 'SnakeCaseHook' }] })));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('custom_hooks.0: hook SnakeCaseHook defines after_train_iter, before_run');
    expect(err.message).toContain('after_train_iter -> afterTrainIter');
    expect(err.message).toContain('before_run -> beforeRun');
  });

  it('checks hook instances given directly and hooks added with registerHook', async () => {
    const direct = await errorOf(createRunner(toyConfig(tempDir(), { custom_hooks: [new SnakeSubclass()] })));
    expect(direct.message).toMatch(/custom_hooks\.0: hook SnakeSubclass defines _after_iter/);
    expect(direct.message).toContain('_after_iter -> afterIter');
    const runner = await createRunner(toyConfig(tempDir()));
    try {
      expect(() => runner.registerHook(new SnakeCaseHook())).toThrow(/rename the methods to camelCase \(after_train_iter -> afterTrainIter/);
    } finally {
      await runner.dispose();
    }
  });

  it('leaves camelCase hooks and unrelated snake_case helpers alone', async () => {
    class Fine extends Hook {
      calls = 0;
      override afterTrainIter(): void {
        this.calls++;
      }
      // not a hook point: a helper of the hook's own
      after_everything(): void {}
    }
    const fine = new Fine();
    const runner = await createRunner(toyConfig(tempDir(), { custom_hooks: [fine] }));
    try {
      await runner.train();
      expect(fine.calls).toBe(10);
    } finally {
      await runner.dispose();
    }
  });
});
