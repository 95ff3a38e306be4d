import * as tf from '@tensorflow/tfjs';
import type { Info, WasmScope } from './wasm-scope.js';

export type Shape4D = [number, number, number, number];
export type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
export type DataFormat = 'NHWC' | 'NCHW';

/** The attributes of tfjs's convolution gradient kernels that fix the convolution's geometry. */
export interface ConvGradAttrs {
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  /** tfjs's conv2d gradients refuse dilations and pass none; they are honoured when given. */
  dilations?: number | [number, number];
}

/** The numbers of a 2-D convolution, with the padding resolved to explicit rows and columns. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
}

/**
 * Resolves a convolution's attributes with tfjs's own rules (so `same`, explicit padding and
 * `dimRoundingMode` mean exactly what they mean to the forward kernel). `xShape` is in
 * `dataFormat`; explicit padding is given in that layout too, as tfjs expects it.
 */
export function convGeometry(
  xShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  dilations: number | [number, number] | undefined,
  pad: Pad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  depthwise: boolean,
  dataFormat: DataFormat = 'NHWC',
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as Shape4D,
    filterShape as Shape4D,
    strides,
    dilations ?? 1,
    pad,
    dimRoundingMode,
    depthwise,
    dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padBottom: info.padInfo.bottom,
    padLeft: info.padInfo.left,
    padRight: info.padInfo.right,
  };
}

/**
 * The geometry of the forward convolution whose gradient `kernelName` computes (x and the filter
 * given by their shapes, in `attrs.dataFormat`), after checking that dy has its output shape.
 */
export function convGradGeometry(
  kernelName: string,
  xShape: number[],
  filterShape: number[],
  dy: Info,
  attrs: ConvGradAttrs & { dataFormat?: DataFormat },
  depthwise: boolean,
): ConvGeometry {
  const { strides, dilations, pad, dimRoundingMode } = attrs;
  // The depthwise kernels take no dataFormat: they are NHWC only.
  const dataFormat = depthwise ? 'NHWC' : (attrs.dataFormat ?? 'NHWC');
  const g = convGeometry(xShape, filterShape, strides, dilations, pad, dimRoundingMode, depthwise, dataFormat);
  const [, , inChannels, outOrMultiplier] = filterShape;
  const outChannels = depthwise ? inChannels * outOrMultiplier : outOrMultiplier;
  const dyShape = depthwise ? dy.shape : shapeToNHWC(dy.shape, dataFormat);
  assertShape(`${kernelName} dy`, dyShape, [g.batch, g.outHeight, g.outWidth, outChannels]);
  return g;
}

/** An NHWC explicit padding attribute. */
export function explicitPad(top: number, bottom: number, left: number, right: number): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/** NCHW tensors are brought to NHWC once, so every kernel below has one layout to handle. */
export function toNHWC(scope: WasmScope, x: Info, dataFormat: DataFormat | undefined): Info {
  return dataFormat === 'NCHW' ? scope.transpose(x, [0, 2, 3, 1]) : x;
}

export function fromNHWC(scope: WasmScope, x: Info, dataFormat: DataFormat | undefined): Info {
  return dataFormat === 'NCHW' ? scope.transpose(x, [0, 3, 1, 2]) : x;
}

/** NCHW shape to NHWC. */
export function shapeToNHWC(shape: number[], dataFormat: DataFormat | undefined): Shape4D {
  const [a, b, c, d] = shape;
  return dataFormat === 'NCHW' ? [a, c, d, b] : [a, b, c, d];
}

export function assertShape(what: string, found: number[], expected: number[]): void {
  if (found.length !== expected.length || found.some((d, i) => d !== expected[i])) {
    throw new Error(`@trainkit/backend-wasm: ${what} has shape [${found}], expected [${expected}]`);
  }
}
