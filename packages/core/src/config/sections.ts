import { z } from 'zod';
import { defineOptions } from '../registry/options.js';

/**
 * Schemas of the config sections that are not built through a registry. The same schemas give
 * the TS types of `TrainkitConfig` (config/types.ts), so a typed config file and the run-time
 * check reject the same things.
 */

/** `randomness`: MMEngine's `set_random_seed` arguments. */
export const randomnessOptions = defineOptions({
  seed: z.number().int().min(0).nullable().optional(),
  deterministic: z.boolean().optional(),
  diff_rank_seed: z.boolean().optional(),
});

/** `env_cfg.mp_cfg`: MMEngine's multi-processing settings. */
export const mpCfgOptions = defineOptions({
  mp_start_method: z.enum(['fork', 'spawn', 'forkserver']).optional(),
  opencv_num_threads: z.number().int().min(0).optional(),
});

/** `env_cfg.dist_cfg`: how the processes of a distributed run connect. */
export const distCfgOptions = defineOptions({
  backend: z.string().optional(),
  timeout: z.number().positive().optional(),
  init_method: z.string().optional(),
});

/** `env_cfg`: the environment of a run. */
export const envCfgOptions = defineOptions({
  /** tfjs backend: `wasm` (default where installed), `cpu`, `webgpu`, `tensorflow`, `tensorflow-gpu`. */
  backend: z.union([z.enum(['wasm', 'cpu', 'webgpu', 'tensorflow', 'tensorflow-gpu']), z.string()]).optional(),
  /** Threads for backends that use them (wasm). */
  num_threads: z.number().int().positive().optional(),
  /** Checks `numTensors` around every hook call and names the hook that leaked. */
  detect_tensor_leaks: z.boolean().optional(),
  /** Backend-specific options (e.g. WebGPU power preference), checked by the backend. */
  backend_options: z.record(z.string(), z.unknown()).optional(),
  cudnn_benchmark: z.boolean().optional(),
  mp_cfg: mpCfgOptions.optional(),
  dist_cfg: distCfgOptions.optional(),
  /** A NaN or infinite loss: `'error'` stops the run, `'skip'` lets a loss-scaling wrapper skip the step. */
  nonfinite_loss: z.enum(['error', 'skip']).optional(),
  /** Warn when a loss exceeds this multiple of its running median; `null` turns the check off. */
  loss_divergence_factor: z.number().gt(1).nullable().optional(),
});

/** `auto_scale_lr`: scale the lr by `batch_size / base_batch_size`. */
export const autoScaleLrOptions = defineOptions({
  base_batch_size: z.number().int().positive(),
  enable: z.boolean().optional(),
});

/** `custom_imports`: modules to import before anything is built. */
export const customImportsOptions = defineOptions({
  imports: z.union([z.string(), z.array(z.string())]),
  allow_failed_imports: z.boolean().optional(),
});

/** `model_wrapper_cfg`: the wrapper of the model in a distributed run (options checked by it). */
export const modelWrapperCfgOptions = z.looseObject({ type: z.string().optional() });

/** MMEngine's launchers (`tools/train.py --launcher`). */
export const launcherOption = z.enum(['none', 'pytorch', 'slurm', 'mpi']);

export type RandomnessConfig = z.input<typeof randomnessOptions>;
export type EnvConfig = z.input<typeof envCfgOptions>;
export type AutoScaleLrConfig = z.input<typeof autoScaleLrOptions>;
export type CustomImportsConfig = z.input<typeof customImportsOptions>;
export type ModelWrapperConfig = z.input<typeof modelWrapperCfgOptions>;
export type Launcher = z.input<typeof launcherOption>;
