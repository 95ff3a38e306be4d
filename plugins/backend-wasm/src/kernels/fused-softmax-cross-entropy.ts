import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { FUSED_KERNELS } from '@trainkit/core/backend';
import type { Info, KernelArgs } from './wasm-scope.js';

/*
 * Softmax cross-entropy in one pass per row (max, log-sum-exp, the labels' weighted sum) and its
 * gradient in one more: two kernels where tfjs's composite loss and its gradient run about 20.
 * Rows are accumulated in float64. The gradient is tfjs's `(softmax - labels) * dy`, divided by
 * the row count for the mean.
 */

function rowsOf(kernel: string, logits: Info, labels: Info): [rows: number, classes: number] {
  if (logits.shape.length !== 2 || labels.shape.length !== 2 || logits.shape[0] !== labels.shape[0] || logits.shape[1] !== labels.shape[1]) {
    throw new Error(`@trainkit/backend-wasm: ${kernel} needs 2-D logits and labels of one shape, got [${logits.shape}] and [${labels.shape}]`);
  }
  if (logits.dtype !== 'float32' || labels.dtype !== 'float32') throw new Error(`@trainkit/backend-wasm: ${kernel} needs float32 logits and labels`);
  return [logits.shape[0], logits.shape[1]];
}

function view(backend: BackendWasm, x: Info): Float32Array {
  return backend.typedArrayFromHeap(x) as Float32Array;
}

/** Row `r`'s log-sum-exp. */
function logSumExp(x: Float32Array, from: number, k: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < k; j++) if (x[from + j] > max) max = x[from + j];
  let sum = 0;
  for (let j = 0; j < k; j++) sum += Math.exp(x[from + j] - max);
  return max + Math.log(sum);
}

export function softmaxCrossEntropy({ inputs, backend }: KernelArgs<Record<string, never>>): Info {
  const { logits, labels } = inputs as Record<string, Info>;
  const [n, k] = rowsOf(FUSED_KERNELS.softmaxCrossEntropy, logits, labels);
  const out = backend.makeOutput([], 'float32');
  const x = view(backend, logits);
  const y = view(backend, labels);
  let total = 0;
  for (let r = 0; r < n; r++) {
    const from = r * k;
    const lse = logSumExp(x, from, k);
    for (let j = 0; j < k; j++) total += y[from + j] * (lse - x[from + j]);
  }
  view(backend, out)[0] = n === 0 ? Number.NaN : total / n;
  return out;
}

export function softmaxCrossEntropyGrad({ inputs, backend }: KernelArgs<Record<string, never>>): Info {
  const { logits, labels, dy } = inputs as Record<string, Info>;
  const [n, k] = rowsOf(FUSED_KERNELS.softmaxCrossEntropyGrad, logits, labels);
  if (dy.shape.length !== 0 || dy.dtype !== 'float32')
    throw new Error(`@trainkit/backend-wasm: ${FUSED_KERNELS.softmaxCrossEntropyGrad} needs a float32 scalar dy`);
  const out = backend.makeOutput(logits.shape, 'float32');
  const x = view(backend, logits);
  const y = view(backend, labels);
  const d = view(backend, out);
  const scale = view(backend, dy)[0] / n;
  for (let r = 0; r < n; r++) {
    const from = r * k;
    const lse = logSumExp(x, from, k);
    for (let j = 0; j < k; j++) d[from + j] = (Math.exp(x[from + j] - lse) - y[from + j]) * scale;
  }
  return out;
}

export const softmaxCrossEntropyConfig: tf.KernelConfig = {
  kernelName: FUSED_KERNELS.softmaxCrossEntropy,
  backendName: 'wasm',
  kernelFunc: softmaxCrossEntropy as unknown as tf.KernelFunc,
};

export const softmaxCrossEntropyGradConfig: tf.KernelConfig = {
  kernelName: FUSED_KERNELS.softmaxCrossEntropyGrad,
  backendName: 'wasm',
  kernelFunc: softmaxCrossEntropyGrad as unknown as tf.KernelFunc,
};
