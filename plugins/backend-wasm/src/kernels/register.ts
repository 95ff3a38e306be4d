import * as tf from '@tensorflow/tfjs';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { conv2dConfig } from './conv2d-nchw.js';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import { fusedMatMulConfig } from './fused-mat-mul.js';
import { adagradUpdateConfig, adamUpdateConfig, rmspropUpdateConfig, sgdUpdateConfig } from './fused-optimizers.js';
import { softmaxCrossEntropyConfig, softmaxCrossEntropyGradConfig } from './fused-softmax-cross-entropy.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';
import { originalKernel, rememberOriginal } from './wasm-scope.js';

/** Kernels tfjs-backend-wasm 4.22 does not have and training needs. */
export const ADDED_KERNELS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/**
 * Kernels tfjs-backend-wasm has, replaced because training spends its time in them (or, for
 * Conv2D, because NCHW fails). Each replacement delegates to the original where that is fast.
 */
export const REPLACED_KERNELS: readonly tf.KernelConfig[] = [batchMatMulConfig, fusedMatMulConfig, conv2DBackpropInputConfig, maxPoolGradConfig, conv2dConfig];

/**
 * trainkit's own fused training kernels (names in core's FUSED_KERNELS): optimizer updates in one
 * kernel per parameter and softmax cross-entropy with its gradient. Optimizers and
 * LayersClassifier use them where the backend has them and their composite ops otherwise.
 */
export const FUSED_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  sgdUpdateConfig,
  adamUpdateConfig,
  rmspropUpdateConfig,
  adagradUpdateConfig,
  softmaxCrossEntropyConfig,
  softmaxCrossEntropyGradConfig,
];

const ours = new Set<tf.KernelConfig>();

export interface RegisterKernelsOptions {
  /** Also replace the slow wasm kernels in REPLACED_KERNELS (default true). */
  replaceSlowKernels?: boolean;
  /** Register the fused optimizer and loss kernels in FUSED_TRAINING_KERNELS (default true); false removes them. */
  fusedKernels?: boolean;
}

/**
 * Registers this plugin's kernels for the `wasm` backend only (never gradients, never another
 * backend). Safe to call again. A kernel that a later tfjs-backend-wasm provides itself is left
 * alone. Returns the names of the kernels registered by this call.
 */
export function registerTrainingKernels(options: RegisterKernelsOptions = {}): string[] {
  const done: string[] = [];
  for (const config of ADDED_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm')) continue;
    tf.registerKernel(config);
    ours.add(config);
    done.push(config.kernelName);
  }
  if (options.replaceSlowKernels ?? true) {
    for (const config of REPLACED_KERNELS) {
      if (ours.has(config)) continue;
      const original = rememberOriginal(config.kernelName);
      if (!original) continue;
      // The original's setupFunc binds its wasm function when the backend starts; it must keep
      // running, or the replacement's calls into the original would find nothing bound.
      tf.unregisterKernel(config.kernelName, 'wasm');
      tf.registerKernel({ ...config, setupFunc: original.setupFunc, disposeFunc: original.disposeFunc });
      ours.add(config);
      done.push(config.kernelName);
    }
  }
  for (const config of FUSED_TRAINING_KERNELS) {
    if (options.fusedKernels ?? true) {
      if (ours.has(config) || tf.getKernel(config.kernelName, 'wasm')) continue;
      tf.registerKernel(config);
      ours.add(config);
      done.push(config.kernelName);
    } else if (ours.has(config)) {
      tf.unregisterKernel(config.kernelName, 'wasm');
      ours.delete(config);
    }
  }
  return done;
}

/** Removes this plugin's kernels and puts tfjs-backend-wasm's originals back (for comparisons). */
export function unregisterTrainingKernels(): void {
  for (const config of ours) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    if (REPLACED_KERNELS.includes(config)) tf.registerKernel(originalKernel(config.kernelName));
  }
  ours.clear();
}

/** Names of the kernels this plugin currently has registered. */
export function registeredTrainingKernels(): string[] {
  return [...ours].map((c) => c.kernelName);
}
