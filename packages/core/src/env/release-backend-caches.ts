import * as tf from '@tensorflow/tfjs';

/** What one `releaseBackendCaches` call gave back to the device. */
export interface ReleasedCaches {
  /** The tfjs backend it looked at (`tf.getBackend()`). */
  backend: string;
  buffers: number;
  textures: number;
  bytes: number;
}

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

/** The pool shape of tfjs-backend-webgl's TextureManager (4.x). */
interface WebGLPool {
  freeTextures: Record<string, Array<{ texture: unknown }>> | null;
  numFreeTextures: number;
  _numBytesAllocated: number;
  _numBytesFree: number;
  gpgpu: { deleteMatrixTexture(texture: unknown): void };
}

// bytes per texel of the formats tfjs-backend-webgpu creates textures in (for its byte counter)
const TEXEL_BYTES: Record<string, number> = { rgba8unorm: 4, bgra8unorm: 4, r32float: 4, rgba16float: 8, rgba32float: 16 };

/**
 * Gives the device memory that a GPU backend keeps pooled for reuse (freed tensors' buffers and
 * textures) back to the driver, the way `torch.cuda.empty_cache()` does for PyTorch. Memory of
 * live tensors is never touched.
 *
 * - `webgpu`: destroys the free GPUBuffers (and free textures) of the backend's pools.
 * - `webgl`: deletes the free textures of the texture manager.
 * - `cpu`, `wasm`, `tensorflow`: nothing is pooled on the tfjs side (cpu memory is freed on
 *   dispose, the wasm heap cannot shrink, libtensorflow's allocator has no release call), so
 *   nothing is released.
 *
 * tfjs has no public API for this; the pools are reached by their (stable since 3.x) field names
 * and left alone when a backend does not have them.
 */
export function releaseBackendCaches(backend: unknown = tf.engine().backend): ReleasedCaches {
  const out: ReleasedCaches = { backend: tf.getBackend() ?? 'unknown', buffers: 0, textures: 0, bytes: 0 };
  const b = backend as { bufferManager?: WebGPUPool; textureManager?: WebGPUPool | WebGLPool } | undefined;
  if (b?.bufferManager?.freeBuffers instanceof Map) releaseWebGPUBuffers(b.bufferManager, out);
  const tm = b?.textureManager;
  if (tm && (tm as WebGPUPool).freeTextures instanceof Map) releaseWebGPUTextures(tm as WebGPUPool, out);
  else if (tm && isWebGLPool(tm)) releaseWebGLTextures(tm, out);
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

function isWebGLPool(tm: unknown): tm is WebGLPool {
  const t = tm as Partial<WebGLPool>;
  return typeof t.gpgpu?.deleteMatrixTexture === 'function' && typeof t._numBytesFree === 'number';
}

function releaseWebGLTextures(pool: WebGLPool, out: ReleasedCaches): void {
  if (!pool.freeTextures) return; // the backend is disposed
  for (const list of Object.values(pool.freeTextures)) {
    for (const t of list) {
      pool.gpgpu.deleteMatrixTexture(t.texture);
      out.textures++;
    }
    list.length = 0;
  }
  // the manager counts free bytes exactly, so the allocated total drops by that much
  out.bytes += pool._numBytesFree;
  pool._numBytesAllocated -= pool._numBytesFree;
  pool._numBytesFree = 0;
  pool.numFreeTextures = 0;
}
