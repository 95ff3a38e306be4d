import { ConfigError, checkConfig, getLogger } from '@trainkit/core';
import { parseArgs } from '../args.js';
import { defaultWorkDir, runFlags, runOverrides } from './train.js';

export const checkUsage = `trainkit check CONFIG [options]

Builds everything the config describes (model, data, optimizer, schedulers, hooks, evaluators)
without training, and reports every problem at once. Exits 0 when the config is good, 1 if not.

  --work-dir DIR          as for train
  --resume [CKPT], --load-from CKPT, --seed N   as for train
  --cfg-options K=V ...   override config values`;

export async function check(argv: string[]): Promise<number> {
  const args = parseArgs(argv, runFlags);
  const [configFile] = args.positionals;
  if (!configFile || args.positionals.length > 1) throw new ConfigError('check takes exactly one config file', { fix: checkUsage });
  const overrides = runOverrides(configFile, args.flags);
  logToStderr();
  const { errors } = await checkConfig(configFile, { cfgOptions: args.cfgOptions, overrides, defaultWorkDir: defaultWorkDir(configFile) });
  return reportProblems(configFile, errors);
}

/** Log lines of the build go to stderr: stdout holds only the result (the config, or OK). */
export function logToStderr(): void {
  getLogger().setConsole((line) => {
    process.stderr.write(`${line}\n`);
  });
}

/** Prints each problem (compiler style) and a count; returns the exit code. */
export function reportProblems(configFile: string, errors: ConfigError[]): number {
  if (errors.length === 0) {
    process.stdout.write(`${configFile}: OK\n`);
    return 0;
  }
  for (const e of errors) process.stderr.write(`trainkit: error: ${e.message}\n\n`);
  process.stderr.write(`${configFile}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n`);
  return 1;
}
