import { ConfigError, checkConfig, getLogger } from '@trainkit/core';
import { parseArgs } from '../args.js';
import { logToStderr, reportProblems } from './check.js';

export const printConfigUsage = `trainkit print-config CONFIG [--cfg-options K=V ...]

Prints the resolved config (bases merged, overrides applied) as JSON, after checking what it
holds as 'trainkit check' does (a _base_ file with no model is fine): a problem is reported on
stderr and the exit code is 1.`;

export async function printConfig(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: [], booleans: [] });
  const [configFile] = args.positionals;
  if (!configFile || args.positionals.length > 1) throw new ConfigError('print-config takes exactly one config file', { fix: printConfigUsage });
  logToStderr();
  // the printed config is the output: only warnings and errors besides it
  getLogger().level = 'WARNING';
  const { config, errors } = await checkConfig(configFile, { cfgOptions: args.cfgOptions, partial: true });
  if (config) process.stdout.write(config.dump());
  return errors.length ? reportProblems(configFile, errors) : 0;
}
