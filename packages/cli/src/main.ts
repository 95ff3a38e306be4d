import * as path from 'node:path';
import { ConfigError, RunInterruptedError, TrainkitError, fileSystemError } from '@trainkit/core';
import { findInstalledPlugins, importFile } from '@trainkit/core/plugin';
import { check, checkUsage } from './commands/check.js';
import { plugins, pluginsUsage } from './commands/plugins.js';
import { printConfig, printConfigUsage } from './commands/print-config.js';
import { test, testUsage } from './commands/test.js';
import { train, trainUsage } from './commands/train.js';
import { val, valUsage } from './commands/val.js';
import { types, typesUsage } from './commands/types.js';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  train: { run: train, usage: trainUsage },
  val: { run: val, usage: valUsage },
  test: { run: test, usage: testUsage },
  check: { run: check, usage: checkUsage },
  'print-config': { run: printConfig, usage: printConfigUsage },
  plugins: { run: plugins, usage: pluginsUsage },
  types: { run: types, usage: typesUsage },
};

const USAGE = `usage: trainkit <command> [options]

commands:
  train CONFIG          train the experiment a config describes
  val CONFIG CKPT       evaluate a checkpoint on the validation set
  test CONFIG CKPT      evaluate a checkpoint on the test set
  check CONFIG          build everything without training; report every problem
  print-config CONFIG   print the resolved config (checked as by check)
  plugins               list installed plugins and the types they provide
  types                 write trainkit-env.d.ts: config types of every installed plugin
  <plugin command>      commands of installed plugins (e.g. wandb-sync)

Run 'trainkit <command> --help' for a command's options.
--debug (any command) prints the stack trace of an error too.`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // --debug belongs to every command: it only changes how errors are printed
  const debug = argv.includes('--debug') || Boolean(process.env.TRAINKIT_DEBUG);
  const [command, ...rest] = argv.filter((a) => a !== '--debug');
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 1;
  }
  if (command === '--version' || command === '-v') {
    const { VERSIONS } = await import('@trainkit/core/plugin');
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
    return report(error, debug);
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

/**
 * One clear message per error. Expected errors (TrainkitError) print no stack: it is in the run's
 * log file, and on the terminal with --debug. A system error (full disk, permissions) is named
 * with its path and fix. Anything else is a bug somewhere and keeps its stack.
 */
export function report(caught: unknown, debug = false): number {
  const error = fileSystemError(caught);
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  if (error instanceof RunInterruptedError) {
    process.stderr.write(`trainkit: ${error.message}; the run folder holds everything logged so far\n`);
    return error.signal === 'SIGINT' ? 130 : 143;
  }
  if (error instanceof TrainkitError) {
    process.stderr.write(`trainkit: error: ${error.message}${stack}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
  const logFile = (error as { logFile?: string })?.logFile;
  const where = logFile ? `\n  (also in ${logFile})` : '';
  process.stderr.write(`trainkit: unexpected error: ${(error as Error)?.stack ?? String(error)}${where}\n`);
  return 1;
}
