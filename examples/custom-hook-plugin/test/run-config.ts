import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Runner, createRunner } from '@trainkit/core';
import { tempDir } from '@trainkit/core/testing';

const configs = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'configs');

/** Builds a runner from one of the example configs, as `trainkit train` does, in a temporary work_dir. */
export async function runnerFor(config: string, cfgOptions: Record<string, unknown> = {}): Promise<Runner> {
  const runner = await createRunner(path.join(configs, config), { cfgOptions, overrides: { work_dir: tempDir('alarm-'), log_level: 'WARNING' } });
  runner.logger.setConsole(() => {});
  return runner;
}

/**
 * Trains and returns the hooks' `afterTrainIter` calls in the order they happened, one list per
 * iteration (each hook is instrumented on its instance, where the runner looks its method up).
 */
export async function trainRecordingCalls(runner: Runner): Promise<string[][]> {
  const calls: string[] = [];
  for (const hook of runner.hooks) {
    const h = hook as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const method of ['afterTrainIter', 'afterIter']) {
      const original = h[method];
      if (typeof original !== 'function') continue;
      h[method] = function (this: unknown, ...args: unknown[]) {
        if (method === 'afterTrainIter' || args[4] === 'train') calls.push(hook.displayName);
        return original.apply(this, args);
      };
    }
  }
  await runner.train();
  const perIter = runner.hooksAt('afterTrainIter').length;
  const out: string[][] = [];
  for (let i = 0; i < calls.length; i += perIter) out.push(calls.slice(i, i + perIter));
  return out;
}
