import * as tf from '@tensorflow/tfjs';
import { setupWasmBackend } from '../src/index.js';

export const TOLERANCE = 1e-4;

export type Layout = 'NHWC' | 'NCHW';
export const LAYOUTS: Layout[] = ['NHWC', 'NCHW'];

let ready: Promise<string> | undefined;

/** Starts the wasm backend with this plugin's kernels, once per test file. */
export function wasmReady(): Promise<string> {
  ready ??= setupWasmBackend({});
  return ready;
}

/** Deterministic values in [-1, 1) (mulberry32), so both backends see the same data. */
export function randomValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let a = seed >>> 0;
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

export interface HostTensor {
  shape: number[];
  values: Float32Array | Int32Array;
  dtype?: 'float32' | 'int32';
}

export function host(shape: number[], seed: number): HostTensor {
  return {
    shape,
    values: randomValues(
      shape.reduce((p, d) => p * d, 1),
      seed,
    ),
  };
}

/**
 * Runs one kernel on `backend` from host data and returns its output as host data. tfjs's own
 * leak check is on meanwhile: a kernel that leaves backend data behind beyond its output throws.
 * (It stays off elsewhere: it misreads tfjs-layers' custom-gradient ops on wasm, whose saved
 * clones are copies there, as leaks.)
 */
export async function runKernelOn(backend: 'cpu' | 'wasm', kernelName: string, inputs: Record<string, HostTensor>, attrs: object): Promise<HostTensor> {
  await tf.setBackend(backend);
  const tensors = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, tf.tensor(t.values, t.shape, t.dtype ?? 'float32')]));
  tf.env().set('IS_TEST', true);
  let out: tf.Tensor;
  try {
    out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  } finally {
    tf.env().set('IS_TEST', false);
  }
  const result: HostTensor = { shape: out.shape, values: out.dataSync() as Float32Array, dtype: out.dtype as 'float32' };
  out.dispose();
  for (const t of Object.values(tensors)) t.dispose();
  return result;
}

/**
 * Largest absolute difference over the largest magnitude of the reference: one number per
 * tensor, not fooled by elements that happen to be near zero.
 */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  if (Number.isNaN(diff)) return Number.POSITIVE_INFINITY;
  return scale === 0 ? diff : diff / scale;
}

/** An explicit padding attribute in `layout`, from its [top, bottom, left, right]. */
export function explicitPadding([t, b, l, r]: [number, number, number, number], layout: Layout = 'NHWC'): number[][] {
  return layout === 'NHWC'
    ? [
        [0, 0],
        [t, b],
        [l, r],
        [0, 0],
      ]
    : [
        [0, 0],
        [0, 0],
        [t, b],
        [l, r],
      ];
}

/** A height/width attribute (strides, dilations) as its two numbers. */
export function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/**
 * The gradients of `sum(op(x, filter)^2)` with respect to x and the filter on `backend`, through
 * tfjs's gradient functions (so the kernels are asked for the way training asks for them).
 */
export async function squaredSumGrads(
  backend: 'cpu' | 'wasm',
  op: (x: tf.Tensor4D, filter: tf.Tensor4D) => tf.Tensor,
  x: HostTensor,
  filter: HostTensor,
): Promise<tf.TypedArray[]> {
  await tf.setBackend(backend);
  const xt = tf.tensor4d(x.values, x.shape as [number, number, number, number]);
  const wt = tf.tensor4d(filter.values, filter.shape as [number, number, number, number]);
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    op(a as tf.Tensor4D, b as tf.Tensor4D)
      .square()
      .sum(),
  )([xt, wt]);
  const out = [dx.dataSync().slice(), dw.dataSync().slice()];
  tf.dispose([xt, wt, dx, dw]);
  return out;
}

/** Every `step`-th index along the first two axes: turns a dilated filter back into the real one. */
export function undilateFilter(t: HostTensor, dh: number, dw: number, kh: number, kw: number): HostTensor {
  const [, ew, c, m] = t.shape;
  const out = new Float32Array(kh * kw * c * m);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = (i * dh * ew + j * dw) * c * m;
      out.set(t.values.subarray(from, from + c * m) as Float32Array, (i * kw + j) * c * m);
    }
  }
  return { shape: [kh, kw, c, m], values: out };
}

/** Puts zeros between filter taps: a dilated filter as the plain filter tfjs's cpu kernels handle. */
export function dilateFilter(t: HostTensor, dh: number, dw: number): HostTensor {
  const [kh, kw, c, m] = t.shape;
  const eh = (kh - 1) * dh + 1;
  const ew = (kw - 1) * dw + 1;
  const out = new Float32Array(eh * ew * c * m);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      out.set(t.values.subarray((i * kw + j) * c * m, (i * kw + j + 1) * c * m) as Float32Array, (i * dh * ew + j * dw) * c * m);
    }
  }
  return { shape: [eh, ew, c, m], values: out };
}

/** The NHWC output shape of a convolution, computed by tfjs itself. */
export function convOutShape(
  xShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  pad: unknown,
  dilations: number | [number, number] = 1,
  depthwise = false,
  dataFormat: Layout = 'NHWC',
): number[] {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad as 'valid',
    undefined,
    depthwise,
    dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast',
  ).outShape;
}
