/** @trainkit/backend-wasm: the wasm backend set up for training, with the gradient kernels TensorFlow.js lacks there. */
import type { BackendSetup } from '@trainkit/core/backend';
import { definePlugin } from '@trainkit/core/plugin';
import { registerTrainingKernels } from './kernels/register.js';
import { releaseWasmCaches } from './release-caches.js';
import { type WasmBackendOptions, setupWasmBackend, wasmMemoryBytes } from './setup.js';

export { setupWasmBackend, wasmBackendInfo, wasmBackendOptions, wasmMemoryBytes, type WasmBackendInfo, type WasmBackendOptions } from './setup.js';
export { releaseWasmCaches } from './release-caches.js';
export {
  ADDED_KERNELS,
  FUSED_TRAINING_KERNELS,
  REPLACED_KERNELS,
  registerTrainingKernels,
  registeredTrainingKernels,
  unregisterTrainingKernels,
  type RegisterKernelsOptions,
} from './kernels/register.js';

/** The BACKENDS entry core's `setupBackend` calls for `env_cfg.backend: 'wasm'` (and by default). */
export const wasmBackend: BackendSetup = {
  setup: setupWasmBackend,
  memoryBytes: wasmMemoryBytes,
  // kernels run to their end before they return, and dataSync() reads the heap directly
  syncReads: true,
  runsAhead: false,
  // XNNPACK splits work across threads by output tile, each summed by one thread in a fixed
  // order, and tfjs's other wasm kernels are single-threaded C++: same inputs, same bits
  deterministic: true,
  releaseCaches: releaseWasmCaches,
};

export const plugin = definePlugin({ name: '@trainkit/backend-wasm', provides: { BACKENDS: { wasm: { cls: wasmBackend } } } });

// The missing kernels only add what wasm lacks, so importing the package is enough for code that
// starts the backend itself with tf.setBackend('wasm'); the replacements of slow kernels and the
// fused kernels wait for setupWasmBackend (or registerTrainingKernels()).
registerTrainingKernels({ replaceSlowKernels: false, fusedKernels: false });

declare module '@trainkit/core' {
  interface BackendOptionsMap {
    /** `env_cfg.backend_options` for `backend: 'wasm'`. */
    wasm: WasmBackendOptions;
  }
}
