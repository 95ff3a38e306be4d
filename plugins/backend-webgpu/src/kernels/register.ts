import * as tf from '@tensorflow/tfjs';
import { splitBatchConv2DBackpropFilter } from './conv2d-backprop-filter.js';
import { FUSED_OPTIMIZER_KERNELS } from './fused-optimizers.js';
import { FUSED_LOSS_KERNELS } from './fused-softmax-cross-entropy.js';

/** trainkit's fused kernels (core's FUSED_KERNELS) this plugin has for webgpu. */
export const FUSED_TRAINING_KERNELS: readonly tf.KernelConfig[] = [...FUSED_OPTIMIZER_KERNELS, ...FUSED_LOSS_KERNELS];

/** tfjs-backend-webgpu kernels replaced because training spends its time in them. */
const REPLACEMENTS: Record<string, (original: tf.KernelFunc) => tf.KernelFunc> = {
  Conv2DBackpropFilter: splitBatchConv2DBackpropFilter,
};

const originals = new Map<string, tf.KernelConfig>();

/**
 * Puts this plugin's kernels in place of tfjs's for the `webgpu` backend (`true`), or tfjs's own
 * back (`false`), so the two can be compared. Returns the kernel names now replaced.
 */
export function useTrainingKernels(on: boolean): string[] {
  for (const [name, make] of Object.entries(REPLACEMENTS)) {
    const current = tf.getKernel(name, 'webgpu');
    if (!current) continue;
    const original = originals.get(name) ?? current;
    originals.set(name, original);
    tf.unregisterKernel(name, 'webgpu');
    tf.registerKernel(on ? { ...original, kernelFunc: make(original.kernelFunc) } : original);
  }
  return on ? Object.keys(REPLACEMENTS).filter((n) => originals.has(n)) : [];
}

/**
 * Registers trainkit's fused kernels (core's FUSED_KERNELS) for the `webgpu` backend (`true`) or
 * removes them (`false`), so optimizers fall back to their composite ops. Returns the names now
 * registered.
 */
export function useFusedKernels(on: boolean): string[] {
  for (const kernel of FUSED_TRAINING_KERNELS) {
    if (tf.getKernel(kernel.kernelName, 'webgpu')) tf.unregisterKernel(kernel.kernelName, 'webgpu');
    if (on) tf.registerKernel(kernel);
  }
  return on ? FUSED_TRAINING_KERNELS.map((k) => k.kernelName) : [];
}
