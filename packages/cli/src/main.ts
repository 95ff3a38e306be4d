import * as path from 'node:path';
import { preloadTfjsNamespace } from './tfjs-namespace.js';
import { versionLine } from './version.js';

interface Command {
  run: (argv: string[]) => Promise<number>;
  usage: string;
}

// Loaded on use: each command imports core, and core imports TensorFlow.js (most of a second),
// which `trainkit --version` and `trainkit --help` never need.
const COMMANDS: Record<string, () => Promise<Command>> = {
  train: async () => import('./commands/train.js').then((m) => ({ run: m.train, usage: m.trainUsage })),
  val: async () => import('./commands/val.js').then((m) => ({ run: m.val, usage: m.valUsage })),
  test: async () => import('./commands/test.js').then((m) => ({ run: m.test, usage: m.testUsage })),
  check: async () => import('./commands/check.js').then((m) => ({ run: m.check, usage: m.checkUsage })),
  'print-config': async () => import('./commands/print-config.js').then((m) => ({ run: m.printConfig, usage: m.printConfigUsage })),
  plugins: async () => import('./commands/plugins.js').then((m) => ({ run: m.plugins, usage: m.pluginsUsage })),
  types: async () => import('./commands/types.js').then((m) => ({ run: m.types, usage: m.typesUsage })),
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
    process.stdout.write(`${versionLine()}\n`);
    return 0;
  }
  preloadTfjsNamespace();
  try {
    const builtin = Object.hasOwn(COMMANDS, command) ? await COMMANDS[command]() : undefined;
    if (builtin) {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(`${builtin.usage}\n`);
        return 0;
      }
      return await builtin.run(rest);
    }
    return await runPluginCommand(command, rest);
  } catch (error) {
    return report(error, debug, await import('@trainkit/core'));
  }
}

/** A sub-command an installed plugin declares in its manifest (`"commands": {name: module}`). */
async function runPluginCommand(command: string, argv: string[]): Promise<number> {
  const { ConfigError, TrainkitError } = await import('@trainkit/core');
  const { findInstalledPlugins, importFile } = await import('@trainkit/core/plugin');
  const provider = findInstalledPlugins([process.cwd()]).find((p) => Object.hasOwn(p.commands, command));
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
export function report(caught: unknown, debug: boolean, core: typeof import('@trainkit/core')): number {
  const { ConfigError, RunInterruptedError, TrainkitError, fileSystemError } = core;
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
