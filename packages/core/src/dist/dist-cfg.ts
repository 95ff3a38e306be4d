import { z } from 'zod';
import { defineOptions, parseOptions } from '../registry/options.js';

/** `env_cfg.dist_cfg`: the collective backend, its timeout (seconds, as MMEngine) and rendezvous. */
export const distCfgOptions = defineOptions({
  backend: z.string().default('gloo'),
  /** Seconds the rendezvous and each collective may wait for the other ranks (torch: 1800). */
  timeout: z.number().positive().default(1800),
  /** `env://` (TCP store hosted by rank 0 at MASTER_ADDR:MASTER_PORT), `file:///shared/dir` or `redis://host:port`. */
  init_method: z
    .string()
    .regex(/^(env:\/\/|file:\/\/\/.+|redis:\/\/[^:/]+(:\d+)?\/?)$/, "use 'env://', 'file:///absolute/dir' or 'redis://host:port'")
    .default('env://'),
});
export type DistCfg = z.output<typeof distCfgOptions>;

export function parseDistCfg(envCfg: unknown): DistCfg {
  const dc = (envCfg as { dist_cfg?: unknown } | undefined)?.dist_cfg;
  return parseOptions(distCfgOptions, dc ?? {}, 'env_cfg.dist_cfg', 'dist_cfg');
}
