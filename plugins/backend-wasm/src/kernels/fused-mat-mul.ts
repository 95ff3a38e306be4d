import type * as tf from '@tensorflow/tfjs';
import { type MatMulAttrs, runMatMul } from './batch-mat-mul.js';
import type { Info, KernelArgs } from './wasm-scope.js';

/**
 * `tf.fused.matMul` (tfjs-layers' Dense) with a transposed or batched operand: the same reason
 * and the same cure as BatchMatMul. The untransposed, unbatched case is passed through untouched.
 */
export function fusedMatMul(args: KernelArgs<MatMulAttrs>): Info {
  return runMatMul('_FusedMatMul', args);
}

export const fusedMatMulConfig: tf.KernelConfig = {
  kernelName: '_FusedMatMul',
  backendName: 'wasm',
  kernelFunc: fusedMatMul as unknown as tf.KernelFunc,
};
