import { beforeAll, describe, expect, it } from 'vitest';
import { LAYOUTS, type Layout, TOLERANCE, convOutShape, dilateFilter, explicitPadding, host, pair, relativeError, runKernelOn, wasmReady } from './helpers.js';

const STRIDES: (number | [number, number])[] = [1, 2, [2, 3], 3];
const PADS = ['valid', 'same', 2, 'explicit', 'wide'] as const;

/** `wide` pads more than the filter reaches: the transposed convolution then crops its output. */
function padFor(pad: (typeof PADS)[number], layout: Layout): unknown {
  if (pad !== 'explicit' && pad !== 'wide') return pad;
  return explicitPadding(pad === 'explicit' ? [1, 2, 0, 3] : [4, 1, 3, 5], layout);
}

function shapes(layout: Layout) {
  return { x: layout === 'NHWC' ? [2, 10, 9, 3] : [2, 3, 10, 9], filter: [3, 2, 3, 4] };
}

beforeAll(wasmReady);

describe('Conv2DBackpropInput (replaced by an XNNPACK convolution) matches the cpu kernel', () => {
  const cases = LAYOUTS.flatMap((layout) => STRIDES.flatMap((strides) => PADS.map((pad) => ({ layout, strides, pad }))));
  it.each(cases)('$layout strides=$strides pad=$pad', async ({ layout, strides, pad }) => {
    const s = shapes(layout);
    const p = padFor(pad, layout);
    const dyShape = convOutShape(s.x, s.filter, strides, p, 1, false, layout);
    const inputs = { dy: host(dyShape, 7), filter: host(s.filter, 8) };
    const attrs = { strides, pad: p, dataFormat: layout, inputShape: s.x };
    const got = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
    const want = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
    expect(got.shape).toEqual(s.x);
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
  });

  const dilated = LAYOUTS.flatMap((layout) =>
    [
      { dilations: 2 as number | [number, number], strides: 1 as number | [number, number] },
      { dilations: [3, 2] as [number, number], strides: 1 },
      { dilations: 2, strides: 2 },
    ].flatMap((d) => (['valid', 'same', 'explicit'] as const).map((pad) => ({ layout, pad, ...d }))),
  );
  it.each(dilated)('$layout dilations=$dilations strides=$strides pad=$pad', async ({ layout, pad, dilations, strides }) => {
    const s = shapes(layout);
    const [dh, dw] = pair(dilations);
    const p = padFor(pad, layout);
    const filter = host(s.filter, 9);
    const dyShape = convOutShape(s.x, s.filter, strides, p, dilations, false, layout);
    const dy = host(dyShape, 10);
    const got = await runKernelOn('wasm', 'Conv2DBackpropInput', { dy, filter }, { strides, pad: p, dataFormat: layout, inputShape: s.x, dilations });
    const want = await runKernelOn(
      'cpu',
      'Conv2DBackpropInput',
      { dy, filter: dilateFilter(filter, dh, dw) },
      { strides, pad: p, dataFormat: layout, inputShape: s.x },
    );
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
  });
});

describe('Conv2D on wasm', () => {
  it.each(['valid', 'same', 'explicit'] as const)('runs NCHW (which tfjs-backend-wasm refuses) and matches cpu, pad=%s', async (pad) => {
    const p = padFor(pad, 'NCHW');
    const inputs = { x: host([2, 3, 10, 9], 11), filter: host([3, 2, 3, 4], 12) };
    const attrs = { strides: [2, 1], pad: p, dataFormat: 'NCHW', dilations: 1 };
    const got = await runKernelOn('wasm', 'Conv2D', inputs, attrs);
    const want = await runKernelOn('cpu', 'Conv2D', inputs, attrs);
    expect(got.shape).toEqual(want.shape);
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
  });
});
