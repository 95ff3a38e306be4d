/**
 * @trainkit/core: the training runtime for TensorFlow.js. Importing it registers the core types
 * (loops, samplers, runtime hooks, LogProcessor, Visualizer, LocalVisBackend, the cpu backend).
 * Task code (LayersClassifier, Accuracy and the other metrics, ClsVisualizer) is in @trainkit/tasks.
 *
 * This entry is what a config and its user code need. The rest is public by concern, in subpaths
 * (see package.json "exports"): `/config` (merging, overrides, validation), `/data` (loaders,
 * samplers, collate), `/checkpoint`, `/backend` (backend setup and fused kernels), `/dist`
 * (distributed training), `/plugin` (plugin loading and helpers for plugin authors), `/testing`.
 */
import './registry/register-core.js';
import './env/backend.js';

export * from './errors.js';
export type { Awaitable, LogVars, Metrics, StateDict, StateValue } from './types.js';

export * from './config/types.js';
export { Config, type LoadConfigOptions } from './config/config.js';
export type { ConfigObject } from './config/merge.js';

export { Registry, type BuildConfig, type RegisterOptions, type RegistryEntry } from './registry/registry.js';
export * from './registry/root.js';
export { defineOptions, parseOptions, knownKeys, z, type OptionsSchema } from './registry/options.js';

export { Hook, type HookCommonOptions, type Mode } from './hooks/hook.js';
export { type CheckpointFolderOwner, ownsCheckpointFolder } from './hooks/checkpoint-folder.js';
export { Priority, getPriority, priorityLabel, type PriorityLike, type PriorityName } from './hooks/priority.js';

export { Runner, type RunnerOptions } from './runner/runner.js';
export { createRunner, loadRunConfig, type CreateRunnerOptions } from './runner/create-runner.js';
export { checkConfig, type CheckOptions, type CheckResult } from './runner/check-config.js';
export { NonFiniteLossError } from './runner/loss-guard.js';
export { setRandomSeed } from './randomness/seed.js';

export type { TrainLoop } from './loops/train-loop.js';
export { EpochBasedTrainLoop } from './loops/epoch-based-train-loop.js';
export { IterBasedTrainLoop } from './loops/iter-based-train-loop.js';
export { ValLoop, TestLoop } from './loops/eval-loop.js';

export { MessageHub, type MessageHubState, type ScalarLike } from './message-hub/message-hub.js';
export { HistoryBuffer } from './message-hub/history-buffer.js';
export { Logger, getLogger, setCurrentLogger, LOG_LEVELS, type LogLevel, type ConsoleWriter } from './logging/logger.js';

export * from './data/types.js';
export { BaseDataset, ArrayDataset, type Dataset, type DatasetMeta, type ItemContext, type Transform } from './data/dataset.js';

export { BaseModel, type BaseModelOptions, type ForwardMode, type ParameterInfo, type LoadReport } from './model/base-model.js';
export { BaseDataPreprocessor, type DataPreprocessorOptions, type PreprocessedBatch } from './model/data-preprocessor.js';
export type { InitConfig, PretrainedInit, PretrainedLoad } from './model/init-cfg.js';
export { parseLosses, type LossDict } from './model/parse-losses.js';
export type { LossOutput, OptimWrapperConstructorLike, OptimWrapperLike, ParamGroup, ParamSchedulerLike } from './optim/types.js';

export { BaseMetric, type BaseMetricOptions } from './evaluation/base-metric.js';
export { Evaluator } from './evaluation/evaluator.js';

export { Visualizer, type VisualizerOptions, type AddDatasampleOptions } from './visualizer/visualizer.js';
export type { ResumeInfo, RunStatus, VisBackend, VisBackendOptions } from './visualizer/vis-backend.js';
export { LocalVisBackend, type LocalVisBackendOptions } from './visualizer/local-vis-backend.js';
export { type RawImage, assertImage } from './visualizer/image.js';
export { encodePng } from './visualizer/png.js';
