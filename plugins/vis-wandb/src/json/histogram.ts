/** wandb.Histogram's default bin count. */
export const WANDB_HISTOGRAM_BINS = 64;

/** The value W&B's history keeps for a histogram: `values` counts, `bins` the edges (one more). */
export interface WandbHistogram {
  _type: 'histogram';
  values: number[];
  bins: number[];
}

/**
 * numpy.histogram's bucketing, which wandb.Histogram uses: `bins` equal-width bins over
 * [min, max] (each half-open but the last, which holds max); all-equal data spreads over
 * [v - 0.5, v + 0.5] as numpy does. Non-finite values are left out (they have no bin).
 */
export function wandbHistogram(values: ArrayLike<number>, bins = WANDB_HISTOGRAM_BINS): WandbHistogram {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) {
    min = 0;
    max = 1; // no finite data: numpy's default range
  } else if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(Math.floor((v - min) / width), bins - 1)]++;
  }
  return { _type: 'histogram', values: counts, bins: edges };
}
