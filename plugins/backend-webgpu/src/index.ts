/**
 * @trainkit/backend-webgpu: GPU training on WebGPU through Dawn's Node binding (npm `webgpu`).
 * Importing it registers the `webgpu` backend for `env_cfg.backend`.
 */
import { defineOptions, z } from '@trainkit/core';
import { definePlugin } from '@trainkit/core/plugin';
import { webgpuBackend } from './setup.js';

export { webgpuBackend, type WebGpuOptions } from './setup.js';
export { noAdapterHelp, requestAdapter, deviceDescriptor } from './adapter.js';
export { hasWebGpuAdapter, installDawn } from './dawn.js';
export { FUSED_TRAINING_KERNELS, useFusedKernels, useTrainingKernels } from './kernels/register.js';
export { releaseWebGpuCaches } from './release-caches.js';

export const webgpuOptions = defineOptions({
  power_preference: z.enum(['high-performance', 'low-power']).default('high-performance'),
  force_fallback_adapter: z.boolean().default(false),
  dawn_options: z.array(z.string()).default([]),
  training_kernels: z.boolean().default(true),
  fused_kernels: z.boolean().default(true),
});

export const plugin = definePlugin({ name: '@trainkit/backend-webgpu', provides: { BACKENDS: { webgpu: { cls: webgpuBackend, options: webgpuOptions } } } });

declare module '@trainkit/core' {
  interface BackendOptionsMap {
    webgpu: z.input<typeof webgpuOptions>;
  }
}
