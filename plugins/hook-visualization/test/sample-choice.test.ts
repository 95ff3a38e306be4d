import { describe, expect, it } from 'vitest';
import { positionsByInterval, positionsInSet } from '../src/index.js';

/** Global indices drawn over a whole pass, batch by batch. */
function drawn(total: number, batch: number, choose: (start: number, size: number) => number[]): number[][] {
  const out: number[][] = [];
  for (let start = 0; start < total; start += batch) {
    const size = Math.min(batch, total - start);
    out.push(choose(start, size).map((p) => start + p));
  }
  return out;
}

describe('sample choice', () => {
  it('draws every interval-th sample: 12 samples, batches of 4, interval 5 (spec seed 40)', () => {
    expect(positionsByInterval(0, 4, 5)).toEqual([0]);
    expect(positionsByInterval(4, 4, 5)).toEqual([1]);
    expect(positionsByInterval(8, 4, 5)).toEqual([2]);
    expect(drawn(12, 4, (s, n) => positionsByInterval(s, n, 5))).toEqual([[0], [5], [10]]);
  });

  it('indexes a short last batch by the samples really seen', () => {
    // MMEngine would read the last batch (2 samples) as ids 4-5 and draw its second sample (id 9) as "5"
    expect(drawn(10, 4, (s, n) => positionsByInterval(s, n, 5))).toEqual([[0], [5], []]);
    expect(drawn(10, 4, (s, n) => positionsByInterval(s, n, 3))).toEqual([[0, 3], [6], [9]]);
  });

  it('follows a fixed set of samples', () => {
    expect(drawn(12, 4, (s, n) => positionsInSet(s, n, [0, 5, 7, 11, 40]))).toEqual([[0], [5, 7], [11]]);
  });
});
