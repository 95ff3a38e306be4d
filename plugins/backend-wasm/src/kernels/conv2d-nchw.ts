import type * as tf from '@tensorflow/tfjs';
import { type DataFormat, type Pad, explicitPad, fromNHWC, toNHWC } from './conv-geometry.js';
import { type Info, type KernelArgs, inScope, originalKernel } from './wasm-scope.js';

interface Conv2DAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: DataFormat;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * tfjs-backend-wasm's Conv2D refuses NCHW, so `tf.conv2d(x, w, s, p, 'NCHW')` cannot even run
 * forward on wasm (and its gradients, which this plugin provides in both layouts, would never be
 * asked for). NCHW input is transposed to NHWC around the XNNPACK kernel; NHWC passes through.
 */
export function conv2d(args: KernelArgs<Conv2DAttrs>): Info {
  const { inputs, backend, attrs } = args;
  const original = originalKernel('Conv2D');
  if (attrs.dataFormat !== 'NCHW') return original.kernelFunc({ inputs, backend, attrs } as never) as Info;
  const { x, filter } = inputs as { x: Info; filter: Info };
  // Explicit padding comes in the tensor's layout: [[0,0],[0,0],[t,b],[l,r]] for NCHW.
  const pad = Array.isArray(attrs.pad) ? explicitPad(attrs.pad[2][0], attrs.pad[2][1], attrs.pad[3][0], attrs.pad[3][1]) : attrs.pad;
  return inScope(backend, (s) => {
    const y = s.runOriginal('Conv2D', { x: toNHWC(s, x, 'NCHW'), filter }, { ...attrs, pad, dataFormat: 'NHWC' });
    return fromNHWC(s, y, 'NCHW');
  });
}

export const conv2dConfig: tf.KernelConfig = {
  kernelName: 'Conv2D',
  backendName: 'wasm',
  kernelFunc: conv2d as unknown as tf.KernelFunc,
};
