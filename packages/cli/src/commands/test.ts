import { ConfigError, createRunner } from '@trainkit/core';
import { isMainProcess } from '@trainkit/core/dist';
import { parseArgs } from '../args.js';
import { LAUNCH_FLAGS, launchOptions, launchWorkers } from '../launch.js';
import { useRunner } from '../use-runner.js';
import { defaultWorkDir, runOverrides } from './train.js';

export const testUsage = `trainkit test CONFIG CHECKPOINT [options]

Evaluates a checkpoint on the config's test set and prints the metrics.

  --work-dir DIR          where the test run's logs go
  --launcher NAME         the config's launcher: none, pytorch, slurm, mpi
  --cfg-options K=V ...   override config values
  --nproc-per-node N ...  evaluate on several workers (the launch flags of trainkit train)`;

export async function test(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['work-dir', 'launcher', ...LAUNCH_FLAGS], booleans: [] });
  const [configFile, checkpoint] = args.positionals;
  if (!configFile || !checkpoint || args.positionals.length > 2) throw new ConfigError('test takes a config file and a checkpoint', { fix: testUsage });
  const launch = launchOptions(args.flags);
  if (launch) return launchWorkers('test', argv, launch);
  const overrides = { ...runOverrides(configFile, args.flags), load_from: checkpoint, resume: false };
  const runner = await createRunner(configFile, {
    cfgOptions: args.cfgOptions,
    overrides,
    handleSignals: true,
    defaultWorkDir: defaultWorkDir(configFile),
    detectTensorLeaks: true,
  });
  const metrics = await useRunner(runner, () => runner.test());
  // every rank computes the same figures; rank 0 prints them
  if (isMainProcess()) process.stdout.write(`${JSON.stringify(metrics)}\n`);
  return 0;
}
