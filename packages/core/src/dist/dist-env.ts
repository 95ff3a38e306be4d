import { ConfigError } from '../errors.js';

/** This process's place among the workers, read from torchrun's environment. */
export interface DistInfo {
  rank: number;
  worldSize: number;
  localRank: number;
  localWorldSize: number;
  masterAddr: string;
  masterPort: number;
}

export const SINGLE_PROCESS: DistInfo = { rank: 0, worldSize: 1, localRank: 0, localWorldSize: 1, masterAddr: '127.0.0.1', masterPort: 29500 };

/** MMEngine's launchers; all of them give each worker torchrun's variables here. */
export const LAUNCHERS = ['none', 'pytorch', 'slurm', 'mpi'] as const;
export type Launcher = (typeof LAUNCHERS)[number];

/**
 * The worker's rank and world from RANK / WORLD_SIZE / LOCAL_RANK / MASTER_ADDR / MASTER_PORT
 * (SLURM_PROCID / SLURM_NTASKS and OMPI_COMM_WORLD_* for the slurm and mpi launchers).
 * `launcher: 'none'` is one process, whatever the environment says.
 */
export function readDistEnv(launcher: unknown, env: NodeJS.ProcessEnv = process.env): DistInfo {
  if (launcher === undefined || launcher === null || launcher === 'none') return SINGLE_PROCESS;
  if (typeof launcher !== 'string' || !(LAUNCHERS as readonly string[]).includes(launcher)) {
    throw new ConfigError(`unknown launcher ${JSON.stringify(launcher)}`, { path: 'launcher', found: launcher, fix: `use one of ${LAUNCHERS.map((l) => `'${l}'`).join(', ')}` });
  }
  const pick = (...names: string[]) => names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const rankS = launcher === 'slurm' ? pick('SLURM_PROCID', 'RANK') : launcher === 'mpi' ? pick('OMPI_COMM_WORLD_RANK', 'RANK') : pick('RANK');
  const worldS = launcher === 'slurm' ? pick('SLURM_NTASKS', 'WORLD_SIZE') : launcher === 'mpi' ? pick('OMPI_COMM_WORLD_SIZE', 'WORLD_SIZE') : pick('WORLD_SIZE');
  const localS = launcher === 'slurm' ? pick('SLURM_LOCALID', 'LOCAL_RANK') : launcher === 'mpi' ? pick('OMPI_COMM_WORLD_LOCAL_RANK', 'LOCAL_RANK') : pick('LOCAL_RANK');
  if (rankS === undefined || worldS === undefined) {
    throw new ConfigError(`launcher '${launcher}' needs the worker environment (RANK and WORLD_SIZE), which is not set`, {
      path: 'launcher',
      found: launcher,
      fix: "start the run with `trainkit train CONFIG --nproc-per-node N` (or torchrun), or set launcher: 'none' for one process",
    });
  }
  const int = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}`, { path: `env.${name}`, found: v });
    return n;
  };
  const worldSize = int('WORLD_SIZE', worldS, 1);
  const rank = int('RANK', rankS, 0);
  if (rank >= worldSize) throw new ConfigError(`RANK ${rank} is not below WORLD_SIZE ${worldSize}`, { path: 'env.RANK', found: rank });
  return {
    rank,
    worldSize,
    localRank: localS === undefined ? rank : int('LOCAL_RANK', localS, 0),
    localWorldSize: pick('LOCAL_WORLD_SIZE') === undefined ? worldSize : int('LOCAL_WORLD_SIZE', pick('LOCAL_WORLD_SIZE'), 1),
    masterAddr: pick('MASTER_ADDR') ?? '127.0.0.1',
    masterPort: int('MASTER_PORT', pick('MASTER_PORT') ?? '29500', 1),
  };
}
