import type { HistogramProto } from './proto/types.js';

/** One histogram bucket: `[left edge, right edge, count]`, TensorBoard's `[k, 3]` row. */
export type HistogramBucket = [left: number, right: number, count: number];

/** TensorBoard's default bucket count for `histogram` summaries. */
export const DEFAULT_BUCKET_COUNT = 30;

/**
 * TensorBoard's own bucketing (summary v2 `histogram`): `k` equal-width buckets over
 * [min, max]; the last bucket is closed on both sides. All-equal data gives `k` zero-width buckets
 * holding everything in the last; no data gives `k` zero rows. Non-finite values are left out
 * (they have no place on an axis and would make every edge NaN).
 */
export function equalWidthBuckets(values: ArrayLike<number>, bucketCount = DEFAULT_BUCKET_COUNT): HistogramBucket[] {
  if (!Number.isInteger(bucketCount) || bucketCount < 1) throw new RangeError(`bucket count must be a positive integer, got ${bucketCount}`);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const rows: HistogramBucket[] = [];
  if (n === 0) {
    for (let i = 0; i < bucketCount; i++) rows.push([0, 0, 0]);
    return rows;
  }
  if (min === max) {
    for (let i = 0; i < bucketCount; i++) rows.push([max, max, i === bucketCount - 1 ? n : 0]);
    return rows;
  }
  const width = (max - min) / bucketCount;
  const counts = new Float64Array(bucketCount);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(Math.floor((v - min) / width), bucketCount - 1)]++;
  }
  const step = (max - min) / bucketCount;
  for (let i = 0; i < bucketCount; i++) {
    const left = min + i * step;
    // the last right edge is max exactly, not whatever rounding makes of min + k * step
    const right = i === bucketCount - 1 ? max : min + (i + 1) * step;
    rows.push([left, right, counts[i]]);
  }
  return rows;
}

/**
 * TensorFlow's default bucket limits for `HistogramProto`: +-1e-12 growing by 10% up to 1e20,
 * mirrored, with 0 in the middle and +-DBL_MAX at the ends (1,551 limits).
 */
export const EXPONENTIAL_BUCKET_LIMITS: readonly number[] = (() => {
  const positive: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
  const negative = positive.map((v) => -v).reverse();
  return Object.freeze([-Number.MAX_VALUE, ...negative, 0, ...positive, Number.MAX_VALUE]);
})();

/** Index of the first limit greater than `v` (C++ `upper_bound`), the last bucket catching the rest. */
function bucketIndex(limits: readonly number[], v: number): number {
  let lo = 0;
  let hi = limits.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (limits[mid] > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A `HistogramProto` with TensorFlow's exponential buckets (what TF1 and PyTorch users know).
 * Runs of empty buckets collapse into one as TensorFlow does, and empty buckets at both ends are
 * dropped: TensorBoard's Rust loader would otherwise draw them with reversed edges.
 */
export function exponentialHistogram(values: ArrayLike<number>): HistogramProto {
  const limits = EXPONENTIAL_BUCKET_LIMITS;
  const counts = new Float64Array(limits.length);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    counts[bucketIndex(limits, v)]++;
    num++;
    sum += v;
    sumSquares += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  if (num > 0) {
    let first = 0;
    while (counts[first] === 0) first++;
    let last = counts.length - 1;
    while (counts[last] === 0) last--;
    for (let i = first; i <= last; i++) {
      let end = limits[i];
      if (counts[i] === 0) while (i + 1 <= last && counts[i + 1] === 0) end = limits[++i];
      bucketLimit.push(end);
      bucket.push(counts[i]);
    }
  }
  return { min: num ? min : 0, max: num ? max : 0, num, sum, sumSquares, bucketLimit, bucket };
}

/**
 * The `[k, 3]` view TensorBoard derives from a `HistogramProto`: empty buckets at both ends are
 * dropped, `min` is the left edge of the first bucket and `max` the right edge of the last.
 */
export function histogramProtoBuckets(h: HistogramProto): HistogramBucket[] {
  const n = h.bucket.length;
  let start = 0;
  while (start < n && !(h.bucket[start] > 0)) start++;
  let end = n - 1;
  while (end >= 0 && !(h.bucket[end] > 0)) end--;
  const rows: HistogramBucket[] = [];
  for (let i = start; i <= end; i++) {
    const left = i === start ? h.min : h.bucketLimit[i - 1];
    const right = i === end ? h.max : h.bucketLimit[i];
    rows.push([left, right, h.bucket[i]]);
  }
  return rows;
}
