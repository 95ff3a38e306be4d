/**
 * Which samples of a batch are drawn, as positions in the batch. `start` is the global index
 * (position in the whole validation or test pass) of the batch's first sample.
 *
 * MMEngine computes `start` as `batch_idx * len(outputs)`, which misplaces a short last batch
 * (10 samples in batches of 4: the last batch would be read as samples 4-5 instead of 8-9); the
 * hook passes the number of samples it has really seen instead, so indices are always exact.
 */
export function positionsByInterval(start: number, size: number, interval: number): number[] {
  const out: number[] = [];
  for (let g = Math.ceil(start / interval) * interval; g < start + size; g += interval) out.push(g - start);
  return out;
}

/** Positions of the batch whose global index is in `sorted` (ascending, no duplicates). */
export function positionsInSet(start: number, size: number, sorted: readonly number[]): number[] {
  const out: number[] = [];
  for (const g of sorted) {
    if (g >= start + size) break;
    if (g >= start) out.push(g - start);
  }
  return out;
}
