/**
 * @trainkit/core/backend: the TensorFlow.js backend a run uses (setup, the capabilities its entry
 * declares: reads, memory, cache release) and the fused kernels core declares and backend plugins
 * implement.
 */
export { setupBackend, type BackendSetup } from '../env/backend.js';
export {
  backendCapabilities,
  backendMemoryMB,
  backendReadsSync,
  drainBackend,
  releaseBackendCaches,
  type BackendCapabilities,
  type ReleasedCaches,
  type ResolvedCapabilities,
} from '../env/backend-capabilities.js';
export { readTensors, type ReadValues } from '../env/read-tensors.js';
export {
  FUSED_KERNELS,
  hasFusedKernel,
  runFusedKernel,
  type AdagradUpdateAttrs,
  type AdamUpdateAttrs,
  type FusedKernelName,
  type RMSpropUpdateAttrs,
  type SGDUpdateAttrs,
} from '../kernels/fused-kernels.js';
