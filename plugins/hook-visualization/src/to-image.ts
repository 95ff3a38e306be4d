import * as tf from '@tensorflow/tfjs';
import { type NdArray, type RawImage, type TypedArray, isNdArray } from '@trainkit/core';

/** Height, width, channels and whether the channels come first, from one sample's shape. */
function layoutOf(shape: readonly number[]): { h: number; w: number; c: 1 | 3 | 4; chw: boolean } | undefined {
  if (shape.length === 2) return { h: shape[0], w: shape[1], c: 1, chw: false };
  if (shape.length === 3) {
    const [a, b, last] = shape;
    if (last === 1 || last === 3 || last === 4) return { h: a, w: b, c: last, chw: false };
    // a pipeline ported from PyTorch may keep channels first
    if (a === 1 || a === 3) return { h: b, w: last, c: a, chw: true };
    return undefined;
  }
  if (shape.length === 1) {
    // a flattened square gray image, as dense-network pipelines feed MNIST-like data
    const side = Math.round(Math.sqrt(shape[0]));
    if (side > 1 && side * side === shape[0]) return { h: side, w: side, c: 1, chw: false };
  }
  return undefined;
}

/**
 * How sample values map to 0..255: uint8 data is taken as is; other data in [0, 1] is scaled by
 * 255, data in [0, 255] is rounded, and anything else (normalised data with negative values) is
 * stretched from its own min..max, so that a pipeline's choice of range never shows as a black
 * or white square.
 */
function toByte(values: ArrayLike<number>, isBytes: boolean): (v: number) => number {
  if (isBytes) return (v) => v;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo >= 0 && hi <= 1) return (v) => Math.round(v * 255);
  if (lo >= 0 && hi <= 255) return (v) => Math.round(v);
  const span = hi - lo || 1;
  return (v) => Math.round(((v - lo) / span) * 255);
}

/** One sample (`shape` without the batch axis) as an 8-bit channels-last image, or undefined. */
export function sampleToImage(data: TypedArray | ArrayLike<number>, shape: readonly number[]): RawImage | undefined {
  const layout = layoutOf(shape);
  if (!layout) return undefined;
  const { h, w, c, chw } = layout;
  const n = h * w * c;
  if (data.length !== n || n === 0) return undefined;
  const byte = toByte(data, data instanceof Uint8Array || data instanceof Uint8ClampedArray);
  const out = new Uint8Array(n);
  if (chw) {
    const plane = h * w;
    for (let p = 0; p < plane; p++) for (let k = 0; k < c; k++) out[p * c + k] = byte(data[k * plane + p]);
  } else {
    for (let i = 0; i < n; i++) out[i] = byte(data[i]);
  }
  return { data: out, height: h, width: w, channels: c };
}

/**
 * Sample `index` of a batch's `inputs` as an image. Handles what the collate functions produce:
 * one stacked NdArray or tensor (`[B, ...]`, default_collate) or a list of per-sample NdArrays or
 * tensors (pseudo_collate). Only the chosen sample is read back from a tensor.
 */
export async function batchImage(inputs: unknown, index: number): Promise<RawImage | undefined> {
  if (Array.isArray(inputs)) {
    const item = inputs[index];
    if (isNdArray(item)) return sampleToImage(item.data, item.shape);
    if (item instanceof tf.Tensor) return sampleToImage(await item.data(), item.shape);
    return undefined;
  }
  if (isNdArray(inputs)) {
    const [batch, ...shape] = inputs.shape;
    if (index >= batch) return undefined;
    const per = (inputs as NdArray).data.length / batch;
    return sampleToImage(inputs.data.subarray(index * per, (index + 1) * per), shape);
  }
  if (inputs instanceof tf.Tensor) {
    if (index >= inputs.shape[0]) return undefined;
    const one = tf.tidy(() => tf.gather(inputs, index));
    try {
      return sampleToImage(await one.data(), one.shape);
    } finally {
      one.dispose();
    }
  }
  return undefined;
}
