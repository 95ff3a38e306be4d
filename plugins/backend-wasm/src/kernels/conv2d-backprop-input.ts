import type * as tf from '@tensorflow/tfjs';
import { type ConvGradAttrs, type DataFormat, type Shape4D, convGradGeometry, explicitPad, fromNHWC, toNHWC } from './conv-geometry.js';
import { dilateSpatial } from './dilate.js';
import { type Info, type KernelArgs, type WasmScope, inScope } from './wasm-scope.js';

export interface Conv2DBackpropInputAttrs extends ConvGradAttrs {
  dataFormat?: DataFormat;
  inputShape: Shape4D;
}

/**
 * Replaces tfjs-backend-wasm's Conv2DBackpropInput, a scalar C++ loop (77 ms of a 280 ms CNN
 * step here), with XNNPACK's convolution: the input gradient of a convolution is a stride-1
 * convolution of dy (spread apart by the forward stride) with the filter flipped in space and
 * its channel axes swapped. The same kernel serves `tf.conv2dTranspose`.
 */
export function conv2DBackpropInput(args: KernelArgs<Conv2DBackpropInputAttrs>): Info {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: Info; filter: Info };
  const { dataFormat, inputShape } = attrs;
  const g = convGradGeometry('Conv2DBackpropInput', inputShape, filter.shape, dy, attrs, false);
  const [kh, kw, ci, co] = filter.shape;

  return inScope(backend, (s) => {
    const spread = dilateSpatial(s, toNHWC(s, dy, dataFormat), g.strideHeight, g.strideWidth);
    const flipped = flipFilter(s, filter, kh, kw, ci, co);
    const dx = transposedConv(s, spread, flipped, g, kh, kw);
    return fromNHWC(s, dx, dataFormat);
  });
}

/** W[kh,kw,ci,co] -> W'[KH-1-kh, KW-1-kw, co, ci]: one JS pass over a (small) filter. */
function flipFilter(s: WasmScope, filter: Info, kh: number, kw: number, ci: number, co: number): Info {
  const out = s.output([kh, kw, co, ci]);
  const src = s.f32(filter);
  const dst = s.f32(out);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = (i * kw + j) * ci * co;
      const to = ((kh - 1 - i) * kw + (kw - 1 - j)) * co * ci;
      for (let a = 0; a < ci; a++) for (let b = 0; b < co; b++) dst[to + b * ci + a] = src[from + a * co + b];
    }
  }
  return out;
}

/**
 * Stride-1 convolution of the spread dy with the flipped filter, padded so that output row h
 * reads the dy rows that forward row h fed. Padding that would be negative (forward padding
 * wider than the filter, or input rows no output read) is cut from the output instead.
 */
export function transposedConv(
  s: WasmScope,
  spread: Info,
  flipped: Info,
  g: { inHeight: number; inWidth: number; padTop: number; padLeft: number; dilationHeight: number; dilationWidth: number },
  kh: number,
  kw: number,
  depthwise = false,
): Info {
  const [, sh, sw] = spread.shape;
  const extentH = (kh - 1) * g.dilationHeight;
  const extentW = (kw - 1) * g.dilationWidth;
  const top = extentH - g.padTop;
  const left = extentW - g.padLeft;
  const bottom = g.inHeight - sh - top + extentH;
  const right = g.inWidth - sw - left + extentW;
  const out = s.run(
    depthwise ? 'DepthwiseConv2dNative' : 'Conv2D',
    { x: spread, filter: flipped },
    {
      strides: [1, 1],
      dilations: [g.dilationHeight, g.dilationWidth],
      pad: explicitPad(Math.max(top, 0), Math.max(bottom, 0), Math.max(left, 0), Math.max(right, 0)),
      dataFormat: 'NHWC',
    },
  );
  const offH = Math.max(-top, 0);
  const offW = Math.max(-left, 0);
  if (offH === 0 && offW === 0 && out.shape[1] === g.inHeight && out.shape[2] === g.inWidth) return out;
  return s.run('Slice', { x: out }, { begin: [0, offH, offW, 0], size: [out.shape[0], g.inHeight, g.inWidth, out.shape[3]] });
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
