import * as tf from '@tensorflow/tfjs';
import type { BackendSetup } from '@trainkit/core/backend';
import { type EnvConfig, getLogger } from '@trainkit/core';
import { type AdapterOptions, deviceDescriptor, requestAdapter } from './adapter.js';
import { importWebGpuBackend, installDawn } from './dawn.js';
import { useFusedKernels, useTrainingKernels } from './kernels/register.js';
import { releaseWebGpuCaches } from './release-caches.js';

export interface WebGpuOptions extends AdapterOptions {
  /** Dawn toggles passed to `create()`, e.g. `['backend=vulkan']`. */
  dawn_options?: string[];
  /** Replace tfjs kernels that are slow for training with this plugin's (default true). */
  training_kernels?: boolean;
  /** trainkit's fused optimizer kernels, one shader per update rule (default true); false: composite ops. */
  fused_kernels?: boolean;
}

/** The parts of tfjs's WebGPUBackend that `drain` uses. */
interface QueueingBackend {
  device: GPUDevice;
  commandEncoder: GPUCommandEncoder | null;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

let registered: { key: string; backend: tf.KernelBackend } | undefined;

/**
 * `env_cfg.backend: 'webgpu'`: Dawn's binding made global, an adapter chosen by power
 * preference, a device with the limits the kernels need, and TensorFlow.js's WebGPU backend on it.
 * Options come from `env_cfg.backend_options`.
 */
export const webgpuBackend: BackendSetup = {
  async setup(env: EnvConfig): Promise<string> {
    const opts = (env.backend_options ?? {}) as WebGpuOptions;
    // a second runner in the same process keeps the device (and every tensor already on it)
    const key = JSON.stringify(opts);
    if (registered?.key === key && tf.findBackend('webgpu') === registered.backend) {
      await tf.setBackend('webgpu');
      return 'webgpu';
    }
    const gpu = await installDawn(opts.dawn_options ?? []);
    const adapter = await requestAdapter(gpu, opts);
    const { WebGPUBackend } = await importWebGpuBackend();
    const replaced = useTrainingKernels(opts.training_kernels ?? true);
    const fused = useFusedKernels(opts.fused_kernels ?? true);
    const device = await adapter.requestDevice(deviceDescriptor(adapter));
    const info = (adapter as { info?: GPUAdapterInfo }).info;
    tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => new WebGPUBackend(device, info as never), 3);
    await tf.setBackend('webgpu');
    await tf.ready();
    registered = { key, backend: tf.backend() };
    getLogger().info(
      `WebGPU adapter: ${[info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ') || 'unknown'}; training kernels: ${replaced.join(', ') || "tfjs's own"}; fused kernels: ${fused.length ? fused.join(', ') : 'off'}`,
    );
    return 'webgpu';
  },
  // Dawn in Node has no synchronous buffer mapping: tfjs's dataSync() needs a browser canvas
  syncReads: false,
  // dispatches are queued on the GPU, which runs ahead of JavaScript
  runsAhead: true,
  deterministic: false,
  nondeterminism:
    'its kernels run on thousands of GPU threads and some of them (scatter, segment sums) add up with atomics in whatever order the threads finish',
  releaseCaches: () => releaseWebGpuCaches(),
  async drain(): Promise<void> {
    const backend = tf.backend() as unknown as QueueingBackend;
    // tfjs batches dispatches into one command encoder and submits it only every few kernels
    if (backend.commandEncoder) {
      backend.endComputePassEncoder();
      backend.submitQueue();
    }
    await backend.device.queue.onSubmittedWorkDone();
  },
  memoryBytes(): number | undefined {
    const m = tf.memory() as { numBytesInGPUAllocated?: number; numBytesInGPU?: number };
    return m.numBytesInGPUAllocated ?? m.numBytesInGPU;
  },
};
