import { TrainkitError } from '@trainkit/core';

/** The parts of the `webgpu` package (Dawn's Node binding) this plugin uses. */
interface DawnBinding {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

let gpu: GPU | undefined;

/**
 * Loads Dawn's Node binding and makes `navigator.gpu` and the WebGPU classes (`GPUBufferUsage`,
 * ...) global, as TensorFlow.js's webgpu backend expects a browser-like scope. `dawnOptions` are
 * Dawn toggles such as `backend=vulkan` or `adapter=<name>`.
 */
export async function installDawn(dawnOptions: string[] = []): Promise<GPU> {
  if (gpu) return gpu;
  let binding: DawnBinding;
  try {
    binding = (await import('webgpu')) as unknown as DawnBinding;
  } catch (e) {
    throw new TrainkitError(
      `cannot load Dawn's Node binding (npm package "webgpu"): ${(e as Error).message}\n  fix: pnpm add webgpu (prebuilt for linux-x64, linux-arm64, darwin and win32)`,
    );
  }
  Object.assign(globalThis, binding.globals);
  gpu = binding.create(dawnOptions);
  const nav = (globalThis as { navigator?: Record<string, unknown> }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  return gpu;
}

/** Whether Dawn finds a WebGPU adapter on this machine (false when the binding cannot load). */
export async function hasWebGpuAdapter(): Promise<boolean> {
  try {
    return (await (await installDawn()).requestAdapter()) !== null;
  } catch {
    return false;
  }
}

/** Imports TensorFlow.js's webgpu backend, whose module checks for a window-like scope once. */
export async function importWebGpuBackend(): Promise<typeof import('@tensorflow/tfjs-backend-webgpu')> {
  const g = globalThis as { window?: unknown };
  const hadWindow = 'window' in g;
  if (!hadWindow) g.window = globalThis;
  try {
    return await import('@tensorflow/tfjs-backend-webgpu');
  } finally {
    if (!hadWindow) delete g.window;
  }
}
