import * as path from 'node:path';
import { ConfigError, createRunner } from '@trainkit/core';
import { parseArgs } from '../args.js';

export const trainUsage = `trainkit train CONFIG [options]

Trains the experiment a config describes.

  --work-dir DIR          where logs and checkpoints go (default: the config's work_dir,
                          else ./work_dirs/<config name>)
  --resume [CKPT]         resume from CKPT, or from the latest checkpoint in the work dir;
                          --resume with --load-from CKPT resumes from CKPT (MMEngine's
                          resume=True + load_from); --resume A --load-from B is refused
  --load-from CKPT        start from these weights (weights only)
  --seed N                randomness.seed
  --cfg-options K=V ...   override config values (a.b.c=1, list indices, [a,b], true/false, null)`;

/** The flags of commands that set up a run (train, check). */
export const runFlags = { values: ['work-dir', 'load-from', 'seed'], booleans: [], optionalValue: ['resume'] };

export async function train(argv: string[]): Promise<number> {
  const args = parseArgs(argv, runFlags);
  const [configFile] = args.positionals;
  if (!configFile || args.positionals.length > 1) throw new ConfigError('train takes exactly one config file', { fix: trainUsage });
  const overrides = runOverrides(configFile, args.flags);
  const runner = await createRunner(configFile, { cfgOptions: args.cfgOptions, overrides, handleSignals: true, defaultWorkDir: defaultWorkDir(configFile) });
  try {
    await runner.train();
  } finally {
    await runner.dispose();
  }
  return 0;
}

/** `./work_dirs/<config name>`, MMEngine's tools/train.py default. */
export function defaultWorkDir(configFile: string): string {
  return path.join('work_dirs', path.basename(configFile, path.extname(configFile)));
}

/** Flags as dotted-key overrides (applied after --cfg-options, so flags win). */
export function runOverrides(_configFile: string, flags: Map<string, string | true>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const workDir = flags.get('work-dir');
  if (typeof workDir === 'string') o.work_dir = workDir;
  const resume = flags.get('resume');
  if (resume === true) o.resume = true;
  else if (typeof resume === 'string') {
    o.resume = true;
    o.load_from = resume;
  }
  const loadFrom = flags.get('load-from');
  if (typeof resume === 'string' && typeof loadFrom === 'string' && resume !== loadFrom) {
    throw new ConfigError(`--resume ${resume} and --load-from ${loadFrom} name two different checkpoints`, {
      fix: `keep one: --resume ${resume} (weights, optimizer and progress), or --load-from ${loadFrom} (weights only); --resume without a value plus --load-from ${loadFrom} resumes from ${loadFrom}`,
    });
  }
  if (typeof loadFrom === 'string') o.load_from = loadFrom;
  const seed = flags.get('seed');
  if (typeof seed === 'string') {
    const n = Number(seed);
    if (!Number.isInteger(n)) throw new ConfigError('--seed must be an integer', { found: seed });
    o['randomness.seed'] = n;
  }
  return o;
}
