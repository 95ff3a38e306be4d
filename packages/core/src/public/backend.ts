/**
 * @trainkit/core/backend: the TensorFlow.js backend a run uses (setup, memory, reads) and the
 * fused kernels core declares and backend plugins implement.
 */
export { setupBackend, backendMemoryMB, backendReadsSync, drainBackend, type BackendSetup } from '../env/backend.js';
export { readTensors, type ReadValues } from '../env/read-tensors.js';
export { releaseBackendCaches, type ReleasedCaches } from '../env/release-backend-caches.js';
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
