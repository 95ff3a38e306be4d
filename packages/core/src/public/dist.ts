/**
 * @trainkit/core/dist: data-parallel training: the process group contract a backend plugin
 * implements, the rank state, the DDP model wrapper and tensor collectives.
 */
export type { CollectiveArray, ConnectOptions, ProcessGroup, ProcessGroupFactory, ReduceOp } from '../dist/process-group.js';
export { type DistInfo, LAUNCHERS, SINGLE_PROCESS, readDistEnv } from '../dist/dist-env.js';
export { getDistInfo, getProcessGroup, getRank, getWorldSize, isDistributed, isMainProcess, resetDist, setDistInfo, setProcessGroup } from '../dist/state.js';
export { DistBackendMissingError, connectProcessGroup, registerDistBackend } from '../dist/backends.js';
export { type DistCfg, distCfgOptions, parseDistCfg } from '../dist/dist-cfg.js';
export { type GradientReducer, getGradientReducer, setGradientReducer } from '../dist/grad-sync.js';
export { type ModelWrapperOptions, type WrappedModel, isModelWrapper, modelWrapperOptions, wrapModel } from '../dist/model-wrapper.js';
export {
  allGatherObjects,
  allReduceMeanTensors,
  allReduceMeanVariables,
  broadcastObject,
  broadcastVariables,
  bucketize,
  collectResults,
} from '../dist/tensor-collectives.js';
