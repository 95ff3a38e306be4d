import * as tf from '@tensorflow/tfjs';
import { type Attrs, type Info, type KernelArgs, type WasmScope, inScope, originalKernel } from './wasm-scope.js';

export type MatMulAttrs = Attrs & { transposeA: boolean; transposeB: boolean };
type MatMulKernel = 'BatchMatMul' | '_FusedMatMul';

/**
 * tfjs-backend-wasm hands a matmul to XNNPACK only when neither side is transposed and there is
 * no batch; every other case runs a scalar C++ loop that walks one operand with a stride. At
 * 512x512 that is 8 ms versus 100 ms (transposeB) and 220 ms (transposeA) here, and training
 * asks for exactly those: the gradient of `matMul(x, W)` is `matMul(dy, W, false, true)` and
 * `matMul(x, dy, true, false)`. Materialising the transpose (a memory-bound copy) and folding a
 * broadcast batch into the rows keeps every such product on XNNPACK.
 */
function withPlainOperands(s: WasmScope, kernelName: MatMulKernel, inputs: Record<string, Info>, attrs: MatMulAttrs): Info {
  const { a, b } = inputs as { a: Info; b: Info };
  const batchA = outerSize(a.shape);
  const batchB = outerSize(b.shape);
  const plainA = attrs.transposeA ? s.transpose(a, swapLastTwo(a.shape.length)) : a;
  const plainB = attrs.transposeB ? s.transpose(b, swapLastTwo(b.shape.length)) : b;
  const plainAttrs = { ...attrs, transposeA: false, transposeB: false };
  const [m, k] = plainA.shape.slice(-2);
  const n = plainB.shape[plainB.shape.length - 1];
  // With one shared right operand the batch is just more rows of the left one (unless a bias or
  // PReLU weight varies along the rows: wasm's fused epilogue indexes those per batch).
  if (batchB === 1 && rowsFold(inputs, n)) {
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const a2 = s.reshape(plainA, [1, batchA * m, k]);
    const b2 = s.reshape(plainB, [1, k, n]);
    const out = s.runOriginal(kernelName, { ...inputs, a: a2, b: b2 }, plainAttrs);
    return s.reshape(out, [...outer, m, n]);
  }
  return s.runOriginal(kernelName, { ...inputs, a: plainA, b: plainB }, plainAttrs);
}

/** Both matmul kernels: tfjs-backend-wasm's own where it is already fast, plain operands otherwise. */
export function runMatMul(kernelName: MatMulKernel, args: KernelArgs<MatMulAttrs>): Info {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs as { a: Info; b: Info };
  if (isFastAlready(a.shape, b.shape, attrs)) {
    return originalKernel(kernelName).kernelFunc({ inputs, backend, attrs } as never) as Info;
  }
  return inScope(backend, (s) => withPlainOperands(s, kernelName, inputs as Record<string, Info>, attrs));
}

export function batchMatMul(args: KernelArgs<MatMulAttrs>): Info {
  return runMatMul('BatchMatMul', args);
}

/** Unbatched and untransposed: the case tfjs-backend-wasm already gives to XNNPACK. */
function isFastAlready(aShape: number[], bShape: number[], attrs: { transposeA: boolean; transposeB: boolean }): boolean {
  return !attrs.transposeA && !attrs.transposeB && outerSize(aShape) === 1 && outerSize(bShape) === 1;
}

function rowsFold(inputs: Record<string, Info | undefined>, n: number): boolean {
  const perColumn = (t: Info | undefined) => t == null || sizeOf(t.shape) <= n;
  return perColumn(inputs.bias) && perColumn(inputs.preluActivationWeights);
}

function sizeOf(shape: number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

function outerSize(shape: number[]): number {
  let size = 1;
  for (let i = 0; i < shape.length - 2; i++) size *= shape[i];
  return size;
}

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as tf.KernelFunc,
};
