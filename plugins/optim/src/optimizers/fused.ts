import type * as tf from '@tensorflow/tfjs';
import { type FusedKernelName, hasFusedKernel, runFusedKernel } from '@trainkit/core/backend';

/**
 * Whether this update can run as the backend's fused kernel `name` (a backend plugin registered
 * it, e.g. @trainkit/backend-wasm) and both parameter and gradient are float32. Otherwise the
 * optimizer runs its composite ops; both give PyTorch's numbers.
 */
export function canFuse(name: FusedKernelName, p: tf.Variable, grad: tf.Tensor): boolean {
  return p.dtype === 'float32' && grad.dtype === 'float32' && hasFusedKernel(name);
}

/**
 * Runs the fused update `name` and assigns its outputs to `targets` in order (the parameter
 * first, then its state). Runs inside the optimizer's per-parameter tidy, which frees the outputs;
 * the variables keep their data.
 */
export function fusedUpdate(name: FusedKernelName, inputs: Record<string, tf.Tensor | undefined>, attrs: object, targets: tf.Variable[]): void {
  const given: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) if (v) given[k] = v;
  const outputs = runFusedKernel(name, given, attrs);
  if (outputs.length !== targets.length) throw new Error(`${name} returned ${outputs.length} tensors, expected ${targets.length}`);
  targets.forEach((v, i) => {
    v.assign(outputs[i]);
  });
}
