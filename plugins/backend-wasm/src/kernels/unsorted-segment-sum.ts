import type * as tf from '@tensorflow/tfjs';
import { type Info, type KernelArgs, inScope } from './wasm-scope.js';

/**
 * out[segmentIds[i], ...] += x[i, ...]: the gradient of `tf.gather` (every Embedding layer).
 *
 * One JS pass that adds whole rows, so the cost is one read of x and scattered writes of rows.
 * Ids outside [0, numSegments) are dropped, as TensorFlow does and as tfjs's cpu kernel's
 * result shows. `segmentIds` is 1-D as tfjs documents it; a higher-rank `segmentIds` whose shape
 * begins x's shape is read with TensorFlow's meaning (its elements index x's leading axes).
 */
export function unsortedSegmentSum(args: KernelArgs<{ numSegments: number }>): Info {
  const { inputs, backend, attrs } = args;
  const { x, segmentIds } = inputs as { x: Info; segmentIds: Info };
  const { numSegments } = attrs;
  const idsRank = segmentIds.shape.length;
  if (idsRank === 0 || segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`@trainkit/backend-wasm: UnsortedSegmentSum needs segmentIds [${segmentIds.shape}] to match the leading axes of x [${x.shape}]`);
  }
  const rows = segmentIds.shape.reduce((p, d) => p * d, 1);
  const rowShape = x.shape.slice(idsRank);
  const rowSize = rowShape.reduce((p, d) => p * d, 1);
  const dtype: tf.DataType = x.dtype === 'float32' ? 'float32' : 'int32';

  return inScope(backend, (s) => {
    const ids = segmentIds.dtype === 'int32' ? segmentIds : s.run('Cast', { x: segmentIds }, { dtype: 'int32' });
    const values = x.dtype === dtype ? x : s.run('Cast', { x }, { dtype });
    const out = s.output([numSegments, ...rowShape], dtype);
    const id = s.i32(ids);
    const src = dtype === 'float32' ? s.f32(values) : s.i32(values);
    const dst = dtype === 'float32' ? s.f32(out) : s.i32(out);
    dst.fill(0);
    for (let r = 0; r < rows; r++) {
      const seg = id[r];
      if (seg < 0 || seg >= numSegments) continue;
      const from = r * rowSize;
      const to = seg * rowSize;
      for (let k = 0; k < rowSize; k++) dst[to + k] += src[from + k];
    }
    return out;
  });
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
