import type * as tf from '@tensorflow/tfjs';
import { type ConvGradAttrs, type Shape4D, convGradGeometry } from './conv-geometry.js';
import { type Info, type KernelArgs, inScope } from './wasm-scope.js';

export interface DepthwiseBackpropFilterAttrs extends ConvGradAttrs {
  filterShape: Shape4D;
}

/**
 * dW[kh,kw,c,q] = sum over b,oh,ow of x[b, oh*s + kh*d - pad, ow*s + kw*d - pad, c] * dy[b,oh,ow,c*m+q].
 *
 * One JS pass with the channel axis innermost (contiguous in x, dy and dW). The wasm backend has
 * no grouped convolution to hand this to (its XNNPACK depthwise path takes one input channel per
 * group, and here the batch would be the contracted axis), and the composite of strided slices,
 * multiplies and sums reads x once per filter tap through wasm's slow StridedSlice.
 * Accumulates in float64 and rounds once.
 */
export function depthwiseConv2dNativeBackpropFilter(args: KernelArgs<DepthwiseBackpropFilterAttrs>): Info {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { filterShape } = attrs;
  const g = convGradGeometry('DepthwiseConv2dNativeBackpropFilter', x.shape, filterShape, dy, attrs, true);
  const [kh, kw, c, m] = filterShape;
  const cm = c * m;
  const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = g;

  return inScope(backend, (s) => {
    const out = s.output(filterShape);
    const xs = s.f32(x);
    const dys = s.f32(dy);
    const acc = new Float64Array(kh * kw * cm);
    for (let b = 0; b < g.batch; b++) {
      for (let i = 0; i < oh; i++) {
        for (let fi = 0; fi < kh; fi++) {
          const r = i * g.strideHeight + fi * g.dilationHeight - g.padTop;
          if (r < 0 || r >= h) continue;
          for (let j = 0; j < ow; j++) {
            const dyBase = ((b * oh + i) * ow + j) * cm;
            for (let fj = 0; fj < kw; fj++) {
              const q = j * g.strideWidth + fj * g.dilationWidth - g.padLeft;
              if (q < 0 || q >= w) continue;
              const xBase = ((b * h + r) * w + q) * c;
              const wBase = (fi * kw + fj) * cm;
              if (m === 1) {
                for (let k = 0; k < c; k++) acc[wBase + k] += xs[xBase + k] * dys[dyBase + k];
              } else {
                for (let k = 0; k < c; k++) {
                  const v = xs[xBase + k];
                  const o = k * m;
                  for (let p = 0; p < m; p++) acc[wBase + o + p] += v * dys[dyBase + o + p];
                }
              }
            }
          }
        }
      }
    }
    s.f32(out).set(acc);
    return out;
  });
}

export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as tf.KernelFunc,
};
