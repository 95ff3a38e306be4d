import { ConfigError, createRunner } from '@trainkit/core';
import { parseArgs } from '../args.js';
import { defaultWorkDir, runOverrides } from './train.js';

export const valUsage = `trainkit val CONFIG CHECKPOINT [options]

Evaluates a checkpoint on the config's validation set (val_dataloader, val_cfg, val_evaluator)
and prints the metrics as one JSON line.

  --work-dir DIR          where the validation run's logs go
  --launcher NAME         the config's launcher: none, pytorch, slurm, mpi
  --cfg-options K=V ...   override config values`;

export async function val(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['work-dir', 'launcher'], booleans: [] });
  const [configFile, checkpoint] = args.positionals;
  if (!configFile || !checkpoint || args.positionals.length > 2) throw new ConfigError('val takes a config file and a checkpoint', { fix: valUsage });
  const overrides = { ...runOverrides(configFile, args.flags), load_from: checkpoint, resume: false };
  const runner = await createRunner(configFile, { cfgOptions: args.cfgOptions, overrides, handleSignals: true, defaultWorkDir: defaultWorkDir(configFile) });
  try {
    const metrics = await runner.val();
    process.stdout.write(`${JSON.stringify(metrics)}\n`);
  } finally {
    await runner.dispose();
  }
  return 0;
}
