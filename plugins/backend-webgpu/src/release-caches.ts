import * as tf from '@tensorflow/tfjs';
import type { ReleasedCaches } from '@trainkit/core/backend';

interface DestroyableBuffer {
  size?: number;
  destroy(): void;
}

/** The pool shape of tfjs-backend-webgpu's BufferManager / TextureManager (4.x). */
interface WebGPUPool {
  freeBuffers?: Map<string, DestroyableBuffer[]>;
  freeTextures?: Map<string, Array<DestroyableBuffer & { width: number; height: number; format: string }>>;
  numFreeBuffers?: number;
  numFreeTextures?: number;
  numBytesAllocated?: number;
}

// bytes per texel of the formats tfjs-backend-webgpu creates textures in (for its byte counter)
const TEXEL_BYTES: Record<string, number> = { rgba8unorm: 4, bgra8unorm: 4, r32float: 4, rgba16float: 8, rgba32float: 16 };

/**
 * The webgpu backend's `releaseCaches` capability: destroys the free GPUBuffers and textures
 * that tfjs-backend-webgpu pools for reuse (freed tensors' memory), the way
 * `torch.cuda.empty_cache()` does for PyTorch. Memory of live tensors is never touched.
 *
 * tfjs has no public API for this; the pools are reached by their (stable since 3.x) field names
 * and left alone when the backend does not have them. That knowledge lives here, in the plugin
 * that owns the backend, not in core.
 */
export function releaseWebGpuCaches(backend: unknown = tf.engine().backend): ReleasedCaches {
  const out: ReleasedCaches = { buffers: 0, textures: 0, bytes: 0 };
  const b = backend as { bufferManager?: WebGPUPool; textureManager?: WebGPUPool } | undefined;
  if (b?.bufferManager?.freeBuffers instanceof Map) releaseWebGPUBuffers(b.bufferManager, out);
  if (b?.textureManager?.freeTextures instanceof Map) releaseWebGPUTextures(b.textureManager, out);
  return out;
}

function releaseWebGPUBuffers(pool: WebGPUPool, out: ReleasedCaches): void {
  // the arrays are emptied rather than the map replaced: the manager treats an empty map as
  // "disposed" and would then stop taking buffers back
  for (const list of pool.freeBuffers!.values()) {
    for (const buffer of list) {
      const size = buffer.size ?? 0;
      buffer.destroy();
      out.buffers++;
      out.bytes += size;
      if (pool.numBytesAllocated !== undefined) pool.numBytesAllocated -= size;
    }
    list.length = 0;
  }
  pool.numFreeBuffers = 0;
}

function releaseWebGPUTextures(pool: WebGPUPool, out: ReleasedCaches): void {
  for (const list of pool.freeTextures!.values()) {
    for (const texture of list) {
      const size = texture.width * texture.height * (TEXEL_BYTES[texture.format] ?? 0);
      texture.destroy();
      out.textures++;
      out.bytes += size;
      if (pool.numBytesAllocated !== undefined) pool.numBytesAllocated -= size;
    }
    list.length = 0;
  }
  pool.numFreeTextures = 0;
}
