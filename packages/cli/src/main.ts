import * as path from 'node:path';
import { ConfigError, RunInterruptedError, TrainkitError, findInstalledPlugins, importFile } from '@trainkit/core';
import { check, checkUsage } from './commands/check.js';
import { plugins, pluginsUsage } from './commands/plugins.js';
import { printConfig, printConfigUsage } from './commands/print-config.js';
import { test, testUsage } from './commands/test.js';
import { train, trainUsage } from './commands/train.js';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  train: { run: train, usage: trainUsage },
  test: { run: test, usage: testUsage },
  check: { run: check, usage: checkUsage },
  'print-config': { run: printConfig, usage: printConfigUsage },
  plugins: { run: plugins, usage: pluginsUsage },
};

const USAGE = `usage: trainkit <command> [options]

commands:
  train CONFIG          train the experiment a config describes
  test CONFIG CKPT      evaluate a checkpoint on the test set
  check CONFIG          build everything without training; report every problem
  print-config CONFIG   print the resolved config (checked as by check)
  plugins               list installed plugins and the types they provide
  <plugin command>      commands of installed plugins (e.g. wandb-sync)

Run 'trainkit <command> --help' for a command's options.`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 1;
  }
  if (command === '--version' || command === '-v') {
    const { VERSIONS } = await import('@trainkit/core');
    process.stdout.write(`trainkit ${VERSIONS.trainkit} (TensorFlow.js ${VERSIONS.tfjs}, Node.js ${VERSIONS.node})\n`);
    return 0;
  }
  try {
    const builtin = COMMANDS[command];
    if (builtin) {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(`${builtin.usage}\n`);
        return 0;
      }
      return await builtin.run(rest);
    }
    return await runPluginCommand(command, rest);
  } catch (error) {
    return report(error);
  }
}

/** A sub-command an installed plugin declares in its manifest (`"commands": {name: module}`). */
async function runPluginCommand(command: string, argv: string[]): Promise<number> {
  const provider = findInstalledPlugins([process.cwd()]).find((p) => command in p.commands);
  if (!provider) {
    const known = [...Object.keys(COMMANDS), ...findInstalledPlugins([process.cwd()]).flatMap((p) => Object.keys(p.commands))];
    const hint = command === 'wandb-sync' ? ' (it comes with @trainkit/vis-wandb: pnpm add @trainkit/vis-wandb)' : '';
    throw new ConfigError(`unknown command "${command}"${hint}`, { fix: `use one of: ${known.join(', ')}` });
  }
  const mod = (await importFile(path.join(provider.dir, provider.commands[command]))) as { run?: (argv: string[]) => Promise<number> };
  if (typeof mod.run !== 'function') throw new TrainkitError(`${provider.name} declares command "${command}" but its module exports no run(argv) function`);
  return mod.run(argv);
}

function report(error: unknown): number {
  if (error instanceof RunInterruptedError) {
    process.stderr.write(`trainkit: ${error.message}; the run folder holds everything logged so far\n`);
    return error.signal === 'SIGINT' ? 130 : 143;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`trainkit: error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof TrainkitError) {
    process.stderr.write(`trainkit: error: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(`trainkit: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}
