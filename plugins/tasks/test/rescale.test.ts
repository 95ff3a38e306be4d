import { describe, expect, it } from 'vitest';
import { resizeNearest, targetSize } from '../src/index.js';

describe('targetSize', () => {
  it('upscales tiny images by a whole factor unless told otherwise', () => {
    expect(targetSize(28, 28)).toEqual({ height: 224, width: 224 });
    expect(targetSize(32, 64)).toEqual({ height: 224, width: 448 });
    expect(targetSize(120, 200)).toEqual({ height: 120, width: 200 });
    expect(targetSize(28, 28, { rescale_factor: 1 })).toEqual({ height: 28, width: 28 });
    expect(targetSize(28, 28, { rescale_factor: 2.5 })).toEqual({ height: 70, width: 70 });
  });

  it('resizes the short edge with `resize`, which wins over rescale_factor', () => {
    expect(targetSize(100, 200, { resize: 50, rescale_factor: 3 })).toEqual({ height: 50, width: 100 });
  });
});

describe('resizeNearest', () => {
  it('repeats each pixel as a block', () => {
    const image = { data: Uint8Array.from([1, 2, 3, 4]), width: 2, height: 2, channels: 1 as const };
    const out = resizeNearest(image, 4, 6);
    expect(Array.from(out.data)).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4]);
  });

  it('keeps channels together', () => {
    const image = { data: Uint8Array.from([10, 20, 30]), width: 1, height: 1, channels: 3 as const };
    expect(Array.from(resizeNearest(image, 1, 2).data)).toEqual([10, 20, 30, 10, 20, 30]);
  });
});
