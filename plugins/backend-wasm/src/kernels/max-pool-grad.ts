import * as tf from '@tensorflow/tfjs';
import type { Pad } from './conv-geometry.js';
import { type Info, type KernelArgs, inScope } from './wasm-scope.js';

interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Replaces tfjs-backend-wasm's MaxPoolGrad (23 ms for one [64,26,26,32] pooling here) with one
 * pass in JS: each window finds its first maximum, the rule of tfjs's cpu kernel (ties, common
 * after a ReLU, send the whole gradient to the first position in row-major order), and adds its
 * dy there. The innermost loops run along the contiguous channel axis.
 */
export function maxPoolGrad(args: KernelArgs<MaxPoolGradAttrs>): Info {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs as { dy: Info; input: Info };
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;

  return inScope(backend, (s) => {
    const out = s.output(input.shape, 'float32');
    const x = s.f32(input);
    const g = s.f32(dy);
    const dx = s.f32(out);
    dx.fill(0);
    const best = new Float32Array(c);
    const at = new Int32Array(c);
    for (let b = 0; b < batchSize; b++) {
      for (let i = 0; i < oh; i++) {
        const r0 = i * sh - top;
        const rFrom = Math.max(r0, 0);
        const rTo = Math.min(r0 + fh, h);
        for (let j = 0; j < ow; j++) {
          const c0 = j * sw - left;
          const cFrom = Math.max(c0, 0);
          const cTo = Math.min(c0 + fw, w);
          best.fill(Number.NEGATIVE_INFINITY);
          at.fill(-1);
          for (let r = rFrom; r < rTo; r++) {
            for (let q = cFrom; q < cTo; q++) {
              const base = ((b * h + r) * w + q) * c;
              for (let k = 0; k < c; k++) {
                const v = x[base + k];
                if (v > best[k]) {
                  best[k] = v;
                  at[k] = base + k;
                }
              }
            }
          }
          const gBase = ((b * oh + i) * ow + j) * c;
          for (let k = 0; k < c; k++) if (at[k] >= 0) dx[at[k]] += g[gBase + k];
        }
      }
    }
    return out;
  });
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
