import { describe, expect, it, vi } from 'vitest';
import { releaseWebGpuCaches, webgpuBackend } from '../src/index.js';

// tfjs-backend-webgpu's pool objects in the shape the plugin reaches (GPU-free, so it runs everywhere;
// backend.test.ts releases a real pool where an adapter exists)
const fakeBuffer = (size: number) => ({ size, destroy: vi.fn() });

describe('the webgpu releaseCaches capability', () => {
  it('is declared by the webgpu BACKENDS entry, with the other capabilities core asks', () => {
    expect(webgpuBackend).toMatchObject({ syncReads: false, runsAhead: true, deterministic: false });
    expect(webgpuBackend.nondeterminism).toMatch(/atomics/);
    expect(typeof webgpuBackend.releaseCaches).toBe('function');
    expect(typeof webgpuBackend.drain).toBe('function');
  });

  it('destroys the free GPUBuffers and textures, keeping used ones and the pool usable', () => {
    const free = [fakeBuffer(256), fakeBuffer(256)];
    const used = fakeBuffer(1024);
    const freeTexture = { width: 4, height: 2, format: 'rgba32float', destroy: vi.fn() };
    const backend = {
      bufferManager: {
        freeBuffers: new Map([
          ['256_12', free],
          ['64_12', [] as ReturnType<typeof fakeBuffer>[]],
        ]),
        usedBuffers: new Map([['1024_12', [used]]]),
        numFreeBuffers: 2,
        numBytesAllocated: 1536,
      },
      textureManager: { freeTextures: new Map([['4_2_rgba32float_6', [freeTexture]]]), numFreeTextures: 1, numBytesAllocated: 128 },
    };
    const r = releaseWebGpuCaches(backend);
    expect(r).toMatchObject({ buffers: 2, textures: 1, bytes: 512 + 128 });
    for (const b of free) expect(b.destroy).toHaveBeenCalledOnce();
    expect(used.destroy).not.toHaveBeenCalled();
    expect(backend.bufferManager).toMatchObject({ numFreeBuffers: 0, numBytesAllocated: 1024 });
    // tfjs' BufferManager ignores releases once its free map is empty, so the keys must stay
    expect(backend.bufferManager.freeBuffers.size).toBe(2);
    expect(backend.textureManager).toMatchObject({ numFreeTextures: 0, numBytesAllocated: 0 });
  });

  it('leaves a backend without those pools alone', () => {
    expect(releaseWebGpuCaches({})).toEqual({ buffers: 0, textures: 0, bytes: 0 });
  });
});
