import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { isFastAlready, withPlainOperands } from './batch-mat-mul.js';
import { type Attrs, type Info, inScope, originalKernel } from './wasm-scope.js';

/**
 * `tf.fused.matMul` (tfjs-layers' Dense) with a transposed or batched operand: the same reason
 * and the same cure as BatchMatMul. The untransposed, unbatched case is passed through untouched.
 */
export function fusedMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: Attrs & { transposeA: boolean; transposeB: boolean } }): Info {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs as { a: Info; b: Info };
  if (isFastAlready(a.shape, b.shape, attrs)) {
    return originalKernel('_FusedMatMul').kernelFunc({ inputs, backend, attrs } as never) as Info;
  }
  return inScope(backend, (s) => withPlainOperands(s, '_FusedMatMul', inputs as Record<string, Info>, attrs));
}

export const fusedMatMulConfig: tf.KernelConfig = {
  kernelName: '_FusedMatMul',
  backendName: 'wasm',
  kernelFunc: fusedMatMul as unknown as tf.KernelFunc,
};
