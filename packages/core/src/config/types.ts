import type { z } from 'zod';
import type { HookCommonOptions } from '../hooks/hook.js';
import type { LogProcessorOptions } from '../logging/log-processor.js';
import type { epochBasedTrainLoopOptions } from '../loops/epoch-based-train-loop.js';
import type { iterBasedTrainLoopOptions } from '../loops/iter-based-train-loop.js';
import type { testLoopOptions, valLoopOptions } from '../registry/register-core.js';
import type { AutoScaleLrConfig, CustomImportsConfig, EnvConfig, Launcher, ModelWrapperConfig, RandomnessConfig } from './sections.js';

export type { AutoScaleLrConfig, CustomImportsConfig, EnvConfig, Launcher, ModelWrapperConfig, RandomnessConfig };

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

/** `train_cfg`: the options of the train loop it selects (`by_epoch`, or `type`). */
export type TrainLoopConfig =
  | ({ type?: 'EpochBasedTrainLoop'; by_epoch?: true } & z.input<typeof epochBasedTrainLoopOptions>)
  | ({ type?: 'IterBasedTrainLoop'; by_epoch?: false } & z.input<typeof iterBasedTrainLoopOptions>);

/** `val_cfg` / `test_cfg`. */
export type EvalLoopConfig<T extends 'ValLoop' | 'TestLoop'> = { type?: T } & z.input<T extends 'ValLoop' ? typeof valLoopOptions : typeof testLoopOptions>;

export type LogProcessorConfig = { type?: 'LogProcessor' } & LogProcessorOptions;

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
  custom_imports?: CustomImportsConfig;
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
  val_cfg?: EvalLoopConfig<'ValLoop'> | null;
  test_cfg?: EvalLoopConfig<'TestLoop'> | null;
  val_evaluator?: MetricConfig | MetricConfig[] | { type?: 'Evaluator'; metrics: MetricConfig | MetricConfig[] } | null;
  test_evaluator?: MetricConfig | MetricConfig[] | { type?: 'Evaluator'; metrics: MetricConfig | MetricConfig[] } | null;
  optim_wrapper?: OptimWrapperConfig | null;
  param_scheduler?: ParamSchedulerConfig | ParamSchedulerConfig[] | Record<string, ParamSchedulerConfig[]> | null;
  auto_scale_lr?: AutoScaleLrConfig;
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
  randomness?: RandomnessConfig;
  launcher?: Launcher;
  model_wrapper_cfg?: ModelWrapperConfig;
  /** torch.compile has no TensorFlow.js counterpart: only `false` is accepted. */
  compile?: false;
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
