import * as fs from 'node:fs';
import { TrainkitError } from '@trainkit/core';

export interface AdapterOptions {
  power_preference?: 'high-performance' | 'low-power';
  force_fallback_adapter?: boolean;
}

/** Where NVIDIA's Vulkan driver manifest usually sits in containers. */
const KNOWN_ICDS = ['/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json', '/usr/share/vulkan/icd.d/nvidia_icd.json', '/etc/vulkan/icd.d/nvidia_icd.json'];

/** What to check when Dawn finds no adapter, with the facts of this machine. */
export function noAdapterHelp(): string {
  const lines = ['no WebGPU adapter was found. Check:'];
  const loader = [
    '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
    '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
    '/usr/lib64/libvulkan.so.1',
    '/usr/lib/libvulkan.so.1',
  ].find((p) => fs.existsSync(p));
  lines.push(
    loader
      ? `  - the Vulkan loader is installed (${loader})`
      : '  - the Vulkan loader (libvulkan.so.1) is missing: install it (Debian/Ubuntu: apt-get install libvulkan1), then run ldconfig',
  );
  const icd = process.env.VK_DRIVER_FILES ?? process.env.VK_ICD_FILENAMES;
  if (icd) lines.push(`  - VK_DRIVER_FILES=${icd} (the file ${fs.existsSync(icd) ? 'exists' : 'does NOT exist'})`);
  else {
    const found = KNOWN_ICDS.find((p) => fs.existsSync(p));
    lines.push(
      found
        ? `  - a driver manifest exists at ${found}: export VK_DRIVER_FILES=${found}`
        : '  - no GPU driver manifest (ICD) found: install the GPU driver with its Vulkan ICD and point VK_DRIVER_FILES at its json',
    );
  }
  lines.push("  - or train on the CPU: env_cfg: {backend: 'wasm'}");
  return lines.join('\n');
}

/** Asks Dawn for an adapter; a clear error (what to check) when there is none. */
export async function requestAdapter(gpu: GPU, opts: AdapterOptions): Promise<GPUAdapter> {
  const adapter = await gpu.requestAdapter({
    powerPreference: opts.power_preference ?? 'high-performance',
    forceFallbackAdapter: opts.force_fallback_adapter ?? false,
  });
  if (!adapter) throw new TrainkitError(noAdapterHelp());
  return adapter;
}

/** The device limits TensorFlow.js's kernels need, raised to what the adapter offers. */
export function deviceDescriptor(adapter: GPUAdapter): GPUDeviceDescriptor {
  const features: GPUFeatureName[] = [];
  if (adapter.features.has('timestamp-query')) features.push('timestamp-query');
  const l = adapter.limits;
  return {
    requiredFeatures: features,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  };
}
