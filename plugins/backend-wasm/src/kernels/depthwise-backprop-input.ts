import type * as tf from '@tensorflow/tfjs';
import { transposedConv } from './conv2d-backprop-input.js';
import { type ConvGeometry, type ConvGradAttrs, type Shape4D, convGradGeometry } from './conv-geometry.js';
import { dilateSpatial } from './dilate.js';
import { type Info, type KernelArgs, type WasmScope, inScope } from './wasm-scope.js';

export interface DepthwiseBackpropInputAttrs extends ConvGradAttrs {
  inputShape: Shape4D;
}

/**
 * dx[b,r,q,c] = sum over kh,kw,p of dy[b,oh,ow,c*m+p] * W[kh,kw,c,p] where r = oh*s + kh*d - pad.
 *
 * With a channel multiplier of 1 (DepthwiseConv2D's default, and every SeparableConv2D with
 * depth_multiplier 1) this is a stride-1 depthwise convolution of the spread dy with the
 * spatially flipped filter, which XNNPACK runs. Other multipliers sum several output channels
 * into one input channel, which no wasm kernel expresses: one JS pass scatters them.
 */
export function depthwiseConv2dNativeBackpropInput(args: KernelArgs<DepthwiseBackpropInputAttrs>): Info {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: Info; filter: Info };
  const { inputShape } = attrs;
  const g = convGradGeometry('DepthwiseConv2dNativeBackpropInput', inputShape, filter.shape, dy, attrs, true);
  const [kh, kw, , m] = filter.shape;

  return inScope(backend, (s) => {
    if (m === 1) {
      const spread = dilateSpatial(s, dy, g.strideHeight, g.strideWidth);
      return transposedConv(s, spread, flipSpatially(s, filter), g, kh, kw, true);
    }
    return scatter(s, dy, filter, inputShape, g);
  });
}

function flipSpatially(s: WasmScope, filter: Info): Info {
  const [kh, kw, c, m] = filter.shape;
  const depth = c * m;
  const out = s.output(filter.shape);
  const src = s.f32(filter);
  const dst = s.f32(out);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      dst.set(src.subarray((i * kw + j) * depth, (i * kw + j + 1) * depth), ((kh - 1 - i) * kw + (kw - 1 - j)) * depth);
    }
  }
  return out;
}

function scatter(s: WasmScope, dy: Info, filter: Info, inputShape: number[], g: ConvGeometry): Info {
  const [kh, kw, c, m] = filter.shape;
  const cm = c * m;
  const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = g;
  const out = s.output(inputShape);
  const dys = s.f32(dy);
  const ws = s.f32(filter);
  const dx = s.f32(out);
  dx.fill(0);
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
            for (let k = 0; k < c; k++) {
              let sum = 0;
              const o = k * m;
              for (let p = 0; p < m; p++) sum += dys[dyBase + o + p] * ws[wBase + o + p];
              dx[xBase + k] += sum;
            }
          }
        }
      }
    }
  }
  return out;
}

export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as tf.KernelFunc,
};
