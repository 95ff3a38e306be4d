import type { ReleasedCaches } from '@trainkit/core/backend';
import { wasmMemoryBytes } from './setup.js';

/**
 * The wasm backend's `releaseCaches` capability. tfjs-backend-wasm keeps no pool of its own: a
 * disposed tensor's bytes go back to the module's allocator at once and are reused by the next
 * tensor, and WebAssembly memory can only grow, so there is nothing a release could give back
 * to the system. It releases nothing and says why, with the heap size a reader may compare
 * against `memory` in the log.
 */
export function releaseWasmCaches(): ReleasedCaches {
  const heap = wasmMemoryBytes();
  const size = heap === undefined ? '' : ` (heap now ${(heap / 2 ** 20).toFixed(1)} MB)`;
  return {
    buffers: 0,
    textures: 0,
    bytes: 0,
    note: `the wasm backend pools nothing: freed tensors go straight back to its allocator, and WebAssembly memory cannot shrink${size}`,
  };
}
