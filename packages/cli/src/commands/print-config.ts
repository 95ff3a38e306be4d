import { Config, ConfigError } from '@trainkit/core';
import { parseArgs } from '../args.js';

export const printConfigUsage = `trainkit print-config CONFIG [--cfg-options K=V ...]

Prints the resolved config (bases merged, overrides applied) as JSON.`;

export async function printConfig(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: [], booleans: [] });
  const [configFile] = args.positionals;
  if (!configFile || args.positionals.length > 1) throw new ConfigError('print-config takes exactly one config file', { fix: printConfigUsage });
  const cfg = await Config.fromFile(configFile, { cfgOptions: args.cfgOptions });
  process.stdout.write(cfg.dump());
  return 0;
}
