import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  TOLERANCE,
  convOutShape,
  dilateFilter,
  explicitPadding,
  host,
  pair,
  relativeError,
  runKernelOn,
  squaredSumGrads,
  undilateFilter,
  wasmReady,
} from './helpers.js';

const STRIDES: (number | [number, number])[] = [1, 2, [2, 3]];
const PADS = ['valid', 'same', 1, 'explicit'] as const;
const MULTIPLIERS = [1, 2];
const X = [2, 9, 8, 3];

function padFor(pad: (typeof PADS)[number]): unknown {
  return pad === 'explicit' ? explicitPadding([2, 1, 0, 3]) : pad;
}

beforeAll(wasmReady);

const cases = MULTIPLIERS.flatMap((m) => STRIDES.flatMap((strides) => PADS.map((pad) => ({ m, strides, pad }))));
const dilatedCases = MULTIPLIERS.flatMap((m) =>
  [
    { dilations: 2 as number | [number, number], strides: 1 as number | [number, number] },
    { dilations: [2, 3] as [number, number], strides: 1 },
    { dilations: 2, strides: 2 },
  ].flatMap((d) => (['valid', 'same'] as const).map((pad) => ({ m, pad, ...d }))),
);

describe('DepthwiseConv2dNativeBackpropFilter on wasm matches the cpu kernel', () => {
  it.each(cases)('multiplier=$m strides=$strides pad=$pad', async ({ m, strides, pad }) => {
    const filterShape = [3, 2, X[3], m];
    const p = padFor(pad);
    const inputs = { x: host(X, 21), dy: host(convOutShape(X, filterShape, strides, p, 1, true), 22) };
    const attrs = { strides, pad: p, dilations: 1, filterShape };
    const got = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', inputs, attrs);
    const want = await runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', inputs, attrs);
    expect(got.shape).toEqual(filterShape);
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
  });

  it.each(dilatedCases)('multiplier=$m dilations=$dilations strides=$strides pad=$pad', async ({ m, pad, dilations, strides }) => {
    const filterShape = [3, 2, X[3], m];
    const [dh, dw] = pair(dilations);
    const eff = [(filterShape[0] - 1) * dh + 1, (filterShape[1] - 1) * dw + 1, X[3], m];
    const inputs = { x: host(X, 23), dy: host(convOutShape(X, filterShape, strides, pad, dilations, true), 24) };
    const got = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', inputs, { strides, pad, dilations, filterShape });
    const full = await runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', inputs, { strides, pad, dilations: 1, filterShape: eff });
    expect(relativeError(got.values, undilateFilter(full, dh, dw, 3, 2).values)).toBeLessThan(TOLERANCE);
  });
});

describe('DepthwiseConv2dNativeBackpropInput on wasm matches the cpu kernel', () => {
  it.each(cases)('multiplier=$m strides=$strides pad=$pad', async ({ m, strides, pad }) => {
    const filterShape = [3, 2, X[3], m];
    const p = padFor(pad);
    const inputs = { dy: host(convOutShape(X, filterShape, strides, p, 1, true), 25), filter: host(filterShape, 26) };
    const attrs = { strides, pad: p, dilations: 1, inputShape: X };
    const got = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropInput', inputs, attrs);
    const want = await runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropInput', inputs, attrs);
    expect(got.shape).toEqual(X);
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
  });

  it.each(dilatedCases)('multiplier=$m dilations=$dilations strides=$strides pad=$pad', async ({ m, pad, dilations, strides }) => {
    const filterShape = [3, 2, X[3], m];
    const [dh, dw] = pair(dilations);
    const filter = host(filterShape, 27);
    const dy = host(convOutShape(X, filterShape, strides, pad, dilations, true), 28);
    const got = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter }, { strides, pad, dilations, inputShape: X });
    const want = await runKernelOn(
      'cpu',
      'DepthwiseConv2dNativeBackpropInput',
      { dy, filter: dilateFilter(filter, dh, dw) },
      { strides, pad, dilations: 1, inputShape: X },
    );
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
  });
});

describe('the gradient of tf.depthwiseConv2d on wasm', () => {
  it.each(MULTIPLIERS)('multiplier %i: both gradients match cpu', async (m) => {
    const x = host(X, 29);
    const w = host([3, 3, 3, m], 30);
    const conv = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.depthwiseConv2d(a, b, 2, 'same');
    const [gotDx, gotDw] = await squaredSumGrads('wasm', conv, x, w);
    const [wantDx, wantDw] = await squaredSumGrads('cpu', conv, x, w);
    expect(relativeError(gotDx, wantDx)).toBeLessThan(TOLERANCE);
    expect(relativeError(gotDw, wantDw)).toBeLessThan(TOLERANCE);
  });
});
