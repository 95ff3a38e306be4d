import { beforeAll, describe, expect, it } from 'vitest';
import { TOLERANCE, host, relativeError, runKernelOn, wasmReady } from './helpers.js';

beforeAll(wasmReady);

const M = 5;
const K = 7;
const N = 4;

function operands(transposeA: boolean, transposeB: boolean, batchA: number[], batchB: number[]) {
  return {
    a: host([...batchA, ...(transposeA ? [K, M] : [M, K])], 41),
    b: host([...batchB, ...(transposeB ? [N, K] : [K, N])], 42),
  };
}

const layouts = [false, true].flatMap((transposeA) => [false, true].map((transposeB) => ({ transposeA, transposeB })));
const batches = [
  { batchA: [], batchB: [] },
  { batchA: [3], batchB: [] },
  { batchA: [2, 3], batchB: [1] },
  { batchA: [3], batchB: [3] },
];

describe('BatchMatMul on wasm (transposed operands moved onto XNNPACK) matches the cpu kernel', () => {
  const cases = layouts.flatMap((l) => batches.map((b) => ({ ...l, ...b })));
  it.each(cases)('transposeA=$transposeA transposeB=$transposeB batch=$batchA x $batchB', async (c) => {
    const inputs = operands(c.transposeA, c.transposeB, c.batchA, c.batchB);
    const attrs = { transposeA: c.transposeA, transposeB: c.transposeB };
    const got = await runKernelOn('wasm', 'BatchMatMul', inputs, attrs);
    const want = await runKernelOn('cpu', 'BatchMatMul', inputs, attrs);
    expect(got.shape).toEqual(want.shape);
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
  });
});

// tf.fused.matMul hands its kernel rank-3 operands, as tfjs-backend-wasm's kernel requires.
describe('_FusedMatMul on wasm matches the cpu kernel', () => {
  const cases = layouts.flatMap((l) =>
    [
      { activation: 'linear', bias: false, batchA: [1] as number[] },
      { activation: 'relu', bias: true, batchA: [1] },
      { activation: 'relu', bias: true, batchA: [3] },
      { activation: 'sigmoid', bias: true, batchA: [2] },
    ].map((f) => ({ ...l, ...f })),
  );
  it.each(cases)('transposeA=$transposeA transposeB=$transposeB activation=$activation bias=$bias batch=$batchA', async (c) => {
    const inputs: Record<string, ReturnType<typeof host>> = operands(c.transposeA, c.transposeB, c.batchA, [1]);
    if (c.bias) inputs.bias = host([N], 43);
    const attrs = { transposeA: c.transposeA, transposeB: c.transposeB, activation: c.activation };
    const got = await runKernelOn('wasm', '_FusedMatMul', inputs, attrs);
    const want = await runKernelOn('cpu', '_FusedMatMul', inputs, attrs);
    expect(got.shape).toEqual(want.shape);
    expect(relativeError(got.values, want.values)).toBeLessThan(TOLERANCE);
  });
});
