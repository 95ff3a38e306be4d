import * as path from 'node:path';
import { ConfigError, createRunner } from '@trainkit/core';
import { parseArgs } from '../args.js';
import { launcherOverride, trainConfigEdits } from './config-flags.js';

export const trainUsage = `trainkit train CONFIG [options]

Trains the experiment a config describes.

  --work-dir DIR          where logs and checkpoints go (default: the config's work_dir,
                          else ./work_dirs/<config name>)
  --resume [CKPT|auto]    resume from CKPT; bare or 'auto': from the latest checkpoint in the
                          work dir (the config's load_from is then not used)
  --load-from CKPT        start from these weights (weights only)
  --seed N                randomness.seed
  --amp                   mixed precision: optim_wrapper.type AmpOptimWrapper (dynamic loss scale)
  --auto-scale-lr         auto_scale_lr.enable = true (needs auto_scale_lr.base_batch_size)
  --launcher NAME         the config's launcher: none, pytorch, slurm, mpi
  --cfg-options K=V ...   override config values (a.b.c=1, list indices, [a,b], true/false, null)`;

export async function train(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['work-dir', 'load-from', 'seed', 'launcher'], booleans: ['amp', 'auto-scale-lr'], optionalValue: ['resume'] });
  const [configFile] = args.positionals;
  if (!configFile || args.positionals.length > 1) throw new ConfigError('train takes exactly one config file', { fix: trainUsage });
  const overrides = runOverrides(configFile, args.flags);
  const runner = await createRunner(configFile, {
    cfgOptions: args.cfgOptions,
    overrides,
    configEdits: trainConfigEdits(args.flags),
    handleSignals: true,
    defaultWorkDir: defaultWorkDir(configFile),
  });
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
  // MMEngine's tools/train.py: bare --resume is 'auto', which resumes from work_dir, not load_from
  if (resume === true || resume === 'auto') {
    o.resume = true;
    o.load_from = null;
  } else if (typeof resume === 'string') {
    o.resume = true;
    o.load_from = resume;
  }
  const loadFrom = flags.get('load-from');
  if (typeof loadFrom === 'string') o.load_from = loadFrom;
  Object.assign(o, launcherOverride(flags));
  const seed = flags.get('seed');
  if (typeof seed === 'string') {
    const n = Number(seed);
    if (!Number.isInteger(n)) throw new ConfigError('--seed must be an integer', { found: seed });
    o['randomness.seed'] = n;
  }
  return o;
}
