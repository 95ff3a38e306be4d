import * as tf from '@tensorflow/tfjs';
import { splitBatchConv2DBackpropFilter } from './conv2d-backprop-filter.js';

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
