import type { Info, WasmScope } from './wasm-scope.js';

/**
 * Spreads the rows and columns of an NHWC tensor `strideH`/`strideW` apart with zeros between
 * them ([B, (H-1)*sH+1, (W-1)*sW+1, C]). A strided convolution's input gradient is a stride-1
 * convolution over this, which lets XNNPACK compute it. One JS pass: wasm's Pad needs rank 6
 * and two reshapes for the same result and measured slower.
 */
export function dilateSpatial(s: WasmScope, x: Info, strideH: number, strideW: number): Info {
  if (strideH === 1 && strideW === 1) return x;
  const [b, h, w, c] = x.shape;
  const oh = (h - 1) * strideH + 1;
  const ow = (w - 1) * strideW + 1;
  const out = s.output([b, oh, ow, c]);
  const src = s.f32(x);
  const dst = s.f32(out);
  dst.fill(0);
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < h; i++) {
      const srcRow = (n * h + i) * w * c;
      const dstRow = (n * oh + i * strideH) * ow * c;
      for (let j = 0; j < w; j++) {
        const from = srcRow + j * c;
        const to = dstRow + j * strideW * c;
        for (let k = 0; k < c; k++) dst[to + k] = src[from + k];
      }
    }
  }
  return out;
}
