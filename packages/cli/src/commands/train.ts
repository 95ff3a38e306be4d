import * as fs from 'node:fs';
import * as path from 'node:path';
import { Config, ConfigError, createRunner } from '@trainkit/core';
import { parseArgs } from '../args.js';
import { DRY_RUN_BATCHES, dryRunConfig, dryRunWorkDir } from '../dry-run.js';
import { LAUNCH_FLAGS, launchOptions, launchWorkers } from '../launch.js';
import { launcherOverride, trainConfigEdits } from './config-flags.js';
import { useRunner } from '../use-runner.js';

export const trainUsage = `trainkit train CONFIG [options]

Trains the experiment a config describes.

  --work-dir DIR          where logs and checkpoints go (default: the config's work_dir,
                          else ./work_dirs/<config name>)
  --resume [CKPT|auto]    resume from CKPT; bare or 'auto': from the latest checkpoint in the
                          work dir (the config's load_from is then not used); bare --resume
                          with --load-from CKPT resumes from CKPT; --resume A --load-from B is refused
  --load-from CKPT        start from these weights (weights only)
  --seed N                randomness.seed
  --dry-run               train ${DRY_RUN_BATCHES} batches, validate and test ${DRY_RUN_BATCHES} batches each, in a
                          temporary work dir that is removed afterwards (nothing kept)
  --amp                   mixed precision: optim_wrapper.type AmpOptimWrapper (dynamic loss scale)
  --auto-scale-lr         auto_scale_lr.enable = true (needs auto_scale_lr.base_batch_size)
  --cfg-options K=V ...   override config values (a.b.c=1, list indices, [a,b], true/false, null)

Data-parallel training (needs @trainkit/dist-gloo), torchrun's flags:
  --nproc-per-node N      start N workers on this host (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR,
                          MASTER_PORT set for each); Ctrl-C stops them all after the same step
  --nnodes M              hosts taking part (run the same command on each)       [1]
  --node-rank R           this host's index, 0 on the host at --master-addr       [0]
  --master-addr A         address of node 0, where rank 0 hosts the rendezvous   [127.0.0.1]
  --master-port P         its port                                               [29500]
  --launcher L            none | pytorch | slurm | mpi (workers started by torchrun or srun
                          join with their environment; 'none' forces one process)`;

/** The flags of commands that set up a run (train, check). */
export const runFlags = { values: ['work-dir', 'load-from', 'seed', 'launcher'], booleans: [] as string[], optionalValue: ['resume'] };

export async function train(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...runFlags, values: [...runFlags.values, ...LAUNCH_FLAGS], booleans: ['dry-run', 'amp', 'auto-scale-lr'] });
  const [configFile] = args.positionals;
  if (!configFile || args.positionals.length > 1) throw new ConfigError('train takes exactly one config file', { fix: trainUsage });
  const launch = launchOptions(args.flags);
  if (launch) return launchWorkers('train', argv, launch);
  const overrides = runOverrides(configFile, args.flags);
  if (args.flags.has('dry-run')) return dryRun(configFile, args.cfgOptions, overrides);
  const runner = await createRunner(configFile, {
    cfgOptions: args.cfgOptions,
    overrides,
    configEdits: trainConfigEdits(args.flags),
    handleSignals: true,
    defaultWorkDir: defaultWorkDir(configFile),
    detectTensorLeaks: true,
  });
  await useRunner(runner, () => runner.train());
  return 0;
}

/** `--dry-run`: train, validate and test a few batches in a temporary work dir, then remove it. */
async function dryRun(configFile: string, cfgOptions: Record<string, unknown>, overrides: Record<string, unknown>): Promise<number> {
  const workDir = dryRunWorkDir();
  try {
    const cfg = dryRunConfig((await Config.fromFile(configFile, { cfgOptions })).merge(overrides), workDir);
    const runner = await createRunner(cfg, { handleSignals: true });
    try {
      const ran: string[] = [];
      if (cfg.data.train_cfg) {
        await runner.train();
        ran.push(runner.valLoop ? 'train, val' : 'train');
      }
      if (cfg.data.test_cfg) {
        await runner.test();
        ran.push('test');
      }
      runner.logger.info(`Dry run passed: ${ran.join(', ')} (${DRY_RUN_BATCHES} batches each); nothing was kept`);
    } finally {
      await runner.dispose();
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
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
  if (typeof resume === 'string' && resume !== 'auto' && typeof loadFrom === 'string' && resume !== loadFrom) {
    throw new ConfigError(`--resume ${resume} and --load-from ${loadFrom} name two different checkpoints`, {
      fix: `keep one: --resume ${resume} (weights, optimizer and progress), or --load-from ${loadFrom} (weights only); --resume without a value plus --load-from ${loadFrom} resumes from ${loadFrom}`,
    });
  }
  if (typeof loadFrom === 'string') o.load_from = loadFrom;
  Object.assign(o, launcherOverride(flags));
  const launcher = workerLauncher(flags);
  if (launcher) o.launcher = launcher;
  const seed = flags.get('seed');
  if (typeof seed === 'string') {
    const n = Number(seed);
    if (!Number.isInteger(n)) throw new ConfigError('--seed must be an integer', { found: seed });
    o['randomness.seed'] = n;
  }
  return o;
}

/**
 * The launcher a worker runs under: `--launcher`, else 'pytorch' when a launcher (ours, torchrun)
 * gave this process a rank among several (RANK and WORLD_SIZE > 1).
 */
export function workerLauncher(flags: Map<string, string | true>): string | undefined {
  const flag = flags.get('launcher');
  if (typeof flag === 'string') return flag;
  const env = process.env;
  if (env.TRAINKIT_LAUNCHER) return env.TRAINKIT_LAUNCHER;
  if (env.RANK !== undefined && Number(env.WORLD_SIZE) > 1) return 'pytorch';
  return undefined;
}
