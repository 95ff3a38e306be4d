import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  LAYOUTS,
  type Layout,
  TOLERANCE,
  convOutShape,
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

function padFor(pad: (typeof PADS)[number], layout: Layout): unknown {
  return pad === 'explicit' ? explicitPadding([1, 2, 0, 3], layout) : pad;
}

/** x in the layout; filter always [KH, KW, Ci, Co]. */
function shapes(layout: Layout) {
  const nhwc = [2, 9, 8, 3];
  const x = layout === 'NHWC' ? nhwc : [2, 3, 9, 8];
  return { x, filter: [3, 2, 3, 4] };
}

beforeAll(wasmReady);

describe('Conv2DBackpropFilter on wasm matches the cpu kernel', () => {
  const cases = LAYOUTS.flatMap((layout) => STRIDES.flatMap((strides) => PADS.map((pad) => ({ layout, strides, pad }))));
  it.each(cases)('$layout strides=$strides pad=$pad', async ({ layout, strides, pad }) => {
    const s = shapes(layout);
    const p = padFor(pad, layout);
    const dyShape = convOutShape(s.x, s.filter, strides, p, 1, false, layout);
    const inputs = { x: host(s.x, 1), dy: host(dyShape, 2) };
    const attrs = { strides, pad: p, dataFormat: layout, filterShape: s.filter };
    const got = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    const want = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
    expect(got.shape).toEqual(s.filter);
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
  });

  // tfjs's cpu kernel has no dilations; a dilated filter's gradient is the gradient of the
  // zero-stuffed filter, read back at the taps.
  const dilated = LAYOUTS.flatMap((layout) =>
    [
      { dilations: 2 as number | [number, number], strides: 1 as number | [number, number] },
      { dilations: [2, 3] as [number, number], strides: 1 },
      { dilations: 2, strides: 2 },
    ].flatMap((d) => (['valid', 'same', 'explicit'] as const).map((pad) => ({ layout, pad, ...d }))),
  );
  it.each(dilated)('$layout dilations=$dilations strides=$strides pad=$pad', async ({ layout, pad, dilations, strides }) => {
    const s = shapes(layout);
    const [dh, dw] = pair(dilations);
    const eff = [(s.filter[0] - 1) * dh + 1, (s.filter[1] - 1) * dw + 1, s.filter[2], s.filter[3]];
    const p = padFor(pad, layout);
    const dyShape = convOutShape(s.x, s.filter, strides, p, dilations, false, layout);
    const inputs = { x: host(s.x, 3), dy: host(dyShape, 4) };
    const got = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, { strides, pad: p, dataFormat: layout, filterShape: s.filter, dilations });
    const full = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, { strides, pad: p, dataFormat: layout, filterShape: eff });
    const want = undilateFilter(full, dh, dw, s.filter[0], s.filter[1]);
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
  });
});

describe('the gradient of tf.conv2d on wasm', () => {
  it.each(LAYOUTS)('%s: both gradients match cpu, through tfjs gradient functions', async (layout) => {
    const s = shapes(layout);
    const x = host(s.x, 5);
    const w = host(s.filter, 6);
    const conv = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, 2, 'same', layout);
    const [gotDx, gotDw] = await squaredSumGrads('wasm', conv, x, w);
    const [wantDx, wantDw] = await squaredSumGrads('cpu', conv, x, w);
    expect(relativeError(gotDx, wantDx)).toBeLessThan(TOLERANCE);
    expect(relativeError(gotDw, wantDw)).toBeLessThan(TOLERANCE);
  });
});
