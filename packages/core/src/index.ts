/**
 * @trainkit/core: the training runtime for TensorFlow.js. Importing it registers the core types
 * (loops, samplers, runtime hooks, LogProcessor, Visualizer, LocalVisBackend, the cpu backend).
 * Task code (LayersClassifier, Accuracy and the other metrics, ClsVisualizer) is in @trainkit/tasks.
 */
import './registry/register-core.js';
import './env/backend.js';

export * from './errors.js';
export type { Awaitable, LogVars, Metrics, StateDict, StateValue } from './types.js';

export { Registry, type BuildConfig, type RegisterOptions, type RegistryEntry } from './registry/registry.js';
export * from './registry/root.js';
export { defineOptions, parseOptions, knownKeys, z, type OptionsSchema } from './registry/options.js';
export { setDefaultScope, currentDefaultScope } from './registry/default-scope.js';
export { importCustomModules, type CustomImports } from './registry/custom-imports.js';
export { findInstalledPlugins, findProvider, importPlugin, packageEntry, type PluginManifest } from './registry/plugin-discovery.js';
export { ensureTypes, collectTypes } from './registry/ensure-types.js';
export { officialPackageFor, officialPackages, officialProvides } from './registry/official-plugins.js';
export { DuplicateCoreError, type CoreCopy } from './registry/one-core.js';
export {
  definePlugin,
  declaredPlugin,
  type Plugin,
  type PluginDeclaration,
  type PluginOptions,
  type PluginProvides,
  type PluginType,
} from './registry/define-plugin.js';
export { didYouMean, closeMatches } from './utils/did-you-mean.js';
export { ensureDir } from './utils/ensure-dir.js';
export { importFile } from './utils/import-module.js';

export { Hook, type HookCommonOptions, type Mode } from './hooks/hook.js';
export { HOOK_POINTS, type HookPoint } from './hooks/hook-points.js';
export { Priority, getPriority, priorityLabel, type PriorityLike, type PriorityName } from './hooks/priority.js';
export { HookPlan } from './hooks/hook-plan.js';
export { RuntimeInfoHook } from './hooks/runtime-info-hook.js';
export { IterTimerHook } from './hooks/iter-timer-hook.js';
export { DistSamplerSeedHook } from './hooks/dist-sampler-seed-hook.js';
export { EmptyCacheHook, emptyCacheHookOptions, type EmptyCacheHookOptions } from './hooks/empty-cache-hook.js';
export { SyncBuffersHook, type BufferCollective } from './hooks/sync-buffers-hook.js';
export { releaseBackendCaches, type ReleasedCaches } from './env/release-backend-caches.js';

export { Config, type LoadConfigOptions } from './config/config.js';
export { mergeConfig, isPlainObject, type ConfigObject } from './config/merge.js';
export { mergeFromDict, parseCfgOption, parseOptionValue } from './config/cfg-options.js';
export * from './config/types.js';
export { validateConfig, assertValidConfig, declareTopLevelKey, knownTopLevelKeys, type SectionCheck, type ValidateOptions } from './config/validate.js';
export { ConfigErrorList, throwConfigErrors } from './config/config-error-list.js';
export { LEGACY_KEYS } from './config/legacy-keys.js';
export { RESERVED_KEYS } from './config/reserved-keys.js';
export { randomnessOptions, envCfgOptions } from './config/sections.js';

export { HistoryBuffer } from './message-hub/history-buffer.js';
export { MessageHub, type MessageHubState, type ScalarLike } from './message-hub/message-hub.js';

export { Logger, getLogger, setCurrentLogger, LOG_LEVELS, type LogLevel, type ConsoleWriter } from './logging/logger.js';
export { LogProcessor, logProcessorOptions, type LogContext, type LogProcessorOptions, type LogTag } from './logging/log-processor.js';
export { formatExp, formatFixed, formatTimedelta } from './logging/format.js';

export { Visualizer, type VisualizerOptions, type AddDatasampleOptions } from './visualizer/visualizer.js';
export type { ResumeInfo, RunStatus, VisBackend, VisBackendOptions } from './visualizer/vis-backend.js';
export { LocalVisBackend, type LocalVisBackendOptions } from './visualizer/local-vis-backend.js';
export { type RawImage, assertImage } from './visualizer/image.js';
export { encodePng } from './visualizer/png.js';

export * from './data/types.js';
export { BaseDataset, ArrayDataset, type Dataset, type DatasetMeta, type ItemContext, type Transform } from './data/dataset.js';
export { DefaultSampler, InfiniteSampler, type Sampler, type SamplerOptions } from './data/sampler.js';
export { DataLoader, type DataLoaderOptions, type BatchIterator } from './data/dataloader.js';
export { StreamDataLoader, isStreamDataset, type StreamContext, type StreamDataLoaderOptions, type StreamDataset } from './data/stream-dataset.js';
export { TensorDataset, type TensorDatasetOptions } from './data/tensor-dataset.js';
export { defaultCollate, pseudoCollate, stack, type CollateFunction } from './data/collate.js';

export { BaseModel, type BaseModelOptions, type ForwardMode, type ParameterInfo, type LoadReport } from './model/base-model.js';
export { parseInitCfg, type InitConfig, type PretrainedInit, type PretrainedLoad } from './model/init-cfg.js';
export { BaseDataPreprocessor, type DataPreprocessorOptions, type PreprocessedBatch } from './model/data-preprocessor.js';
export { parseLosses, type LossDict } from './model/parse-losses.js';
export {
  FUSED_KERNELS,
  hasFusedKernel,
  runFusedKernel,
  type AdagradUpdateAttrs,
  type AdamUpdateAttrs,
  type FusedKernelName,
  type RMSpropUpdateAttrs,
  type SGDUpdateAttrs,
} from './kernels/fused-kernels.js';

export { BaseMetric, type BaseMetricOptions } from './evaluation/base-metric.js';
export { Evaluator } from './evaluation/evaluator.js';

export type { TrainLoop } from './loops/train-loop.js';
export { EpochBasedTrainLoop } from './loops/epoch-based-train-loop.js';
export { IterBasedTrainLoop } from './loops/iter-based-train-loop.js';
export { ValLoop, TestLoop } from './loops/eval-loop.js';

export type { LossOutput, OptimWrapperConstructorLike, OptimWrapperLike, ParamGroup, ParamSchedulerLike } from './optim/types.js';

export type { Checkpoint, CheckpointFormat, CheckpointMeta, CheckpointSaveOptions } from './checkpoint/checkpoint.js';
export { disposeCheckpoint } from './checkpoint/checkpoint.js';
export { readLastCheckpoint, listCheckpoints } from './checkpoint/find-latest.js';

export { Random, mixSeed, permutation } from './randomness/random.js';
export { setRandomSeed, globalRandom, getRandomState, setRandomState, restoreNativeRandom } from './randomness/seed.js';

export { setupBackend, backendMemoryMB, backendReadsSync, drainBackend, type BackendSetup } from './env/backend.js';
export { readTensors, type ReadValues } from './env/read-tensors.js';

export { Runner, type RunnerOptions } from './runner/runner.js';
export { createRunner, loadRunConfig, type CreateRunnerOptions } from './runner/create-runner.js';
export { checkConfig, type CheckOptions, type CheckResult } from './runner/check-config.js';
export { DEFAULT_HOOKS } from './runner/build-hooks.js';
export type { SaveOptions, LoadOptions, PendingCheckpointSave } from './runner/checkpointing.js';
export { loadCheckpoint, resumeFrom, checkpointFormat } from './runner/checkpointing.js';
export { timestampNow } from './runner/run-folder.js';
export { VERSIONS } from './runner/versions.js';

export type { CollectiveArray, ConnectOptions, ProcessGroup, ProcessGroupFactory, ReduceOp } from './dist/process-group.js';
export { type DistInfo, type Launcher, LAUNCHERS, SINGLE_PROCESS, readDistEnv } from './dist/dist-env.js';
export { getDistInfo, getProcessGroup, getRank, getWorldSize, isDistributed, isMainProcess, resetDist, setDistInfo, setProcessGroup } from './dist/state.js';
export { DistBackendMissingError, connectProcessGroup, registerDistBackend } from './dist/backends.js';
export { type DistCfg, distCfgOptions, parseDistCfg } from './dist/dist-cfg.js';
export { type GradientReducer, getGradientReducer, setGradientReducer } from './dist/grad-sync.js';
export { type ModelWrapperOptions, type WrappedModel, isModelWrapper, modelWrapperOptions, wrapModel } from './dist/model-wrapper.js';
export {
  allGatherObjects,
  allReduceMeanTensors,
  allReduceMeanVariables,
  broadcastObject,
  broadcastVariables,
  bucketize,
  collectResults,
} from './dist/tensor-collectives.js';
export { LossGuard, NonFiniteLossError, type LossGuardOptions } from './runner/loss-guard.js';
