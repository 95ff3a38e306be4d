import type { Runner } from '@trainkit/core';

/**
 * Runs `body`, then releases the runner. A failure while releasing is reported only when the
 * run itself succeeded: it never replaces the error that ended the run.
 */
export async function useRunner<T>(runner: Runner, body: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await body();
  } catch (error) {
    await runner.dispose().catch((e: unknown) => runner.logger.warn(`could not release the run's resources: ${(e as Error)?.message ?? String(e)}`));
    throw error;
  }
  await runner.dispose();
  return result;
}
