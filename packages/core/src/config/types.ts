import type { HookCommonOptions } from '../hooks/hook.js';

/**
 * Option maps by registry, one interface each, keyed by type name. Plugins extend them with
 * declaration merging so that a TS config file is checked and autocompleted for every installed
 * plugin:
 *
 * ```ts
 * declare module '@trainkit/core' {
 *   interface HookOptionsMap { CheckpointHook: z.input<typeof checkpointHookOptions> }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface HookOptionsMap {}
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface ModelOptionsMap {}
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface DatasetOptionsMap {}
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface DataSamplerOptionsMap {}
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface TransformOptionsMap {}
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface MetricOptionsMap {}
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface OptimizerOptionsMap {}
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface OptimWrapperOptionsMap {}
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface ParamSchedulerOptionsMap {}
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface VisBackendOptionsMap {}
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface VisualizerOptionsMap {}
// biome-ignore lint/suspicious/noEmptyInterface: extended by plugins
export interface BackendOptionsMap {}

/** `{type: 'Name', ...options}` for every type in a map. */
export type TypedConfig<M> = { [K in keyof M & string]: { type: K; _scope_?: string } & M[K] }[keyof M & string];

/**
 * A type that is not in the map (a `scope.Type` name, or a class given directly): options are
 * checked at run time only.
 */
export interface ExternalTypeConfig {
  type: `${string}.${string}` | (abstract new (...args: never[]) => unknown) | ((...args: never[]) => unknown);
  _scope_?: string;
  [option: string]: unknown;
}

export type HookConfig = (TypedConfig<HookOptionsMap> | ExternalTypeConfig) & HookCommonOptions;
export type ModelConfig = TypedConfig<ModelOptionsMap> | ExternalTypeConfig;
export type DatasetConfig = TypedConfig<DatasetOptionsMap> | ExternalTypeConfig;
export type TransformConfig = TypedConfig<TransformOptionsMap> | ExternalTypeConfig;
export type MetricConfig = TypedConfig<MetricOptionsMap> | ExternalTypeConfig;
export type OptimizerConfig = TypedConfig<OptimizerOptionsMap> | ExternalTypeConfig;
export type ParamSchedulerConfig = TypedConfig<ParamSchedulerOptionsMap> | ExternalTypeConfig;
export type VisBackendConfig = TypedConfig<VisBackendOptionsMap> | ExternalTypeConfig;
export type VisualizerConfig = TypedConfig<VisualizerOptionsMap> | ExternalTypeConfig;
export type OptimWrapperConfig = (TypedConfig<OptimWrapperOptionsMap> | ExternalTypeConfig | { type?: undefined; [k: string]: unknown }) & {
  // `| Function`: every object literal already has Object.prototype's `constructor`, so a plain
  // `string` here would make every optim_wrapper literal fail to type-check
  constructor?: string | Function;
  paramwise_cfg?: Record<string, unknown>;
};

export interface DataLoaderConfig {
  dataset: DatasetConfig;
  batch_size?: number;
  sampler?: (TypedConfig<DataSamplerOptionsMap> | ExternalTypeConfig) | { type: 'DefaultSampler' | 'InfiniteSampler'; shuffle?: boolean; seed?: number | null };
  shuffle?: boolean;
  drop_last?: boolean;
  collate_fn?: { type: 'default_collate' | 'pseudo_collate' | (string & {}) } | ((items: unknown[]) => unknown);
  prefetch?: number;
  /** Accepted for MMEngine configs: loading runs in this process, ahead by `prefetch` batches. */
  num_workers?: number;
  persistent_workers?: boolean;
  pin_memory?: boolean;
}

export type TrainLoopConfig =
  | {
      type?: 'EpochBasedTrainLoop';
      by_epoch?: true;
      max_epochs: number;
      val_begin?: number;
      val_interval?: number;
      dynamic_intervals?: Array<[number, number]>;
    }
  | {
      type?: 'IterBasedTrainLoop';
      by_epoch?: false;
      max_iters: number;
      val_begin?: number;
      val_interval?: number;
      dynamic_intervals?: Array<[number, number]>;
    };

export interface EnvConfig {
  /** tfjs backend: `wasm` (default where installed), `cpu`, `webgpu`, `tensorflow`, `tensorflow-gpu`. */
  backend?: 'wasm' | 'cpu' | 'webgpu' | 'tensorflow' | 'tensorflow-gpu' | (string & {});
  /** Threads for backends that use them (wasm). */
  num_threads?: number;
  /** Checks `numTensors` around every hook call and names the hook that leaked. */
  detect_tensor_leaks?: boolean;
  /** Backend-specific options (e.g. WebGPU power preference). */
  backend_options?: Record<string, unknown>;
  /** Distributed runs: the collective backend (`gloo`), timeout in seconds, rendezvous. */
  dist_cfg?: { backend?: 'gloo' | (string & {}); timeout?: number; init_method?: string };
  /** MMEngine's; no effect on TensorFlow.js (no cuDNN autotuner): the log says so. */
  cudnn_benchmark?: boolean;
  /** MMEngine's; no effect (no worker processes, no OpenCV): the log says so. */
  mp_cfg?: { mp_start_method?: 'fork' | 'spawn' | 'forkserver'; opencv_num_threads?: number };
  [legacy: string]: unknown;
}

export interface LogProcessorConfig {
  type?: 'LogProcessor';
  window_size?: number;
  by_epoch?: boolean;
  custom_cfg?: Array<{
    data_src: string;
    log_name?: string;
    method_name?: 'mean' | 'min' | 'max' | 'current' | (string & {});
    window_size?: number | 'epoch' | 'global';
  }>;
  num_digits?: number;
  log_with_hierarchy?: boolean;
  mean_pattern?: string;
}

/** The default hooks of a run; `null` removes one, an entry replaces it. */
export interface DefaultHooksConfig {
  runtime_info?: HookConfig | null;
  timer?: HookConfig | null;
  sampler_seed?: HookConfig | null;
  logger?: HookConfig | null;
  param_scheduler?: HookConfig | null;
  checkpoint?: HookConfig | null;
  [name: string]: HookConfig | null | undefined;
}

/** A whole experiment, with MMEngine's field names. */
export interface TrainkitConfig {
  _base_?: string | string[];
  custom_imports?: { imports: string | string[]; allow_failed_imports?: boolean };
  default_scope?: string;
  work_dir?: string;
  experiment_name?: string;
  model?: ModelConfig;
  /** Set on `model` when the model config has none (MMEngine's top-level key). */
  data_preprocessor?: { type?: string; mean?: number[] | null; std?: number[] | null; scale?: number };
  train_dataloader?: DataLoaderConfig | null;
  val_dataloader?: DataLoaderConfig | null;
  test_dataloader?: DataLoaderConfig | null;
  train_cfg?: TrainLoopConfig | null;
  val_cfg?: { type?: 'ValLoop' } | null;
  test_cfg?: { type?: 'TestLoop' } | null;
  val_evaluator?: MetricConfig | MetricConfig[] | { type?: 'Evaluator'; metrics: MetricConfig | MetricConfig[] } | null;
  test_evaluator?: MetricConfig | MetricConfig[] | { type?: 'Evaluator'; metrics: MetricConfig | MetricConfig[] } | null;
  optim_wrapper?: OptimWrapperConfig | null;
  param_scheduler?: ParamSchedulerConfig | ParamSchedulerConfig[] | Record<string, ParamSchedulerConfig[]> | null;
  auto_scale_lr?: { base_batch_size: number; enable?: boolean };
  default_hooks?: DefaultHooksConfig;
  custom_hooks?: HookConfig[];
  load_from?: string | null;
  /** true: resume from load_from, else from the latest checkpoint in work_dir ('auto' says so); a path: resume from it. */
  resume?: boolean | 'auto' | (string & {});
  env_cfg?: EnvConfig;
  log_level?: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
  log_processor?: LogProcessorConfig;
  visualizer?:
    | (VisualizerConfig & { vis_backends?: VisBackendConfig[]; name?: string; save_dir?: string })
    | { type?: undefined; vis_backends?: VisBackendConfig[] };
  randomness?: { seed?: number | null; deterministic?: boolean; diff_rank_seed?: boolean };
  launcher?: 'none' | 'pytorch' | 'slurm' | 'mpi';
  model_wrapper_cfg?: {
    type?: 'MMDistributedDataParallel' | 'DistributedDataParallel';
    bucket_cap_mb?: number;
    broadcast_buffers?: false;
    find_unused_parameters?: boolean;
  };
}

export interface ConfigFunctionContext {
  _base_: TrainkitConfig;
  fileDirname: string;
  fileBasename: string;
  fileBasenameNoExtension: string;
  fileExtname: string;
  env: NodeJS.ProcessEnv;
}

/** A config written as a function of its file's context (and the merged `_base_`). */
export type ConfigFunction = (ctx: ConfigFunctionContext) => TrainkitConfig;

/**
 * Identity helper that gives a config file its types (and editor completion). One signature,
 * not overloads: with overloads a wrong option is reported on `defineConfig(` as "no overload
 * matches", quoting the function form; with one union parameter it is reported on the property.
 * The result types as the config the file describes (the loader calls the function form).
 */
export function defineConfig(config: TrainkitConfig | ConfigFunction): TrainkitConfig {
  return config as TrainkitConfig;
}
