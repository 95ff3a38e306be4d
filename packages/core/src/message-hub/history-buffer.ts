import { TrainkitError } from '../errors.js';

export type Statistic = (buffer: HistoryBuffer, ...args: unknown[]) => number;

const STATISTICS = new Map<string, Statistic>();

/**
 * The recent history of one scalar, with count-weighted windowed statistics.
 *
 * Values live in a growable ring of Float64Arrays, so `update` is O(1) without copying and the
 * cost per iteration stays flat over any run length (MMEngine copies its arrays on every update).
 * Keeps at most `maxLength` values, as MMEngine does.
 */
export class HistoryBuffer {
  private values: Float64Array;
  private counts: Float64Array;
  private start = 0;
  private size = 0;
  /** Running totals over the retained window, for O(1) global means. */
  private sumValues = 0;
  private sumCounts = 0;

  constructor(
    logHistory: number[] = [],
    countHistory: number[] = [],
    readonly maxLength = 1_000_000,
  ) {
    const cap = Math.min(maxLength, Math.max(16, logHistory.length));
    this.values = new Float64Array(cap);
    this.counts = new Float64Array(cap);
    for (let i = 0; i < logHistory.length; i++) this.update(logHistory[i], countHistory[i] ?? 1);
  }

  static registerStatistic(name: string, fn: Statistic): void {
    STATISTICS.set(name, fn);
  }

  get length(): number {
    return this.size;
  }

  update(value: number, count = 1): void {
    if (typeof value !== 'number') throw new TrainkitError(`HistoryBuffer.update expects a number, got ${typeof value}`);
    if (this.size === this.values.length) {
      if (this.size < this.maxLength) this.grow();
      else {
        // full: drop the oldest
        this.sumValues -= this.values[this.start];
        this.sumCounts -= this.counts[this.start];
        this.start = (this.start + 1) % this.values.length;
        this.size--;
      }
    }
    const at = (this.start + this.size) % this.values.length;
    this.values[at] = value;
    this.counts[at] = count;
    this.size++;
    this.sumValues += value;
    this.sumCounts += count;
  }

  private grow(): void {
    const cap = Math.min(this.maxLength, this.values.length * 2);
    const v = new Float64Array(cap);
    const c = new Float64Array(cap);
    for (let i = 0; i < this.size; i++) {
      const j = (this.start + i) % this.values.length;
      v[i] = this.values[j];
      c[i] = this.counts[j];
    }
    this.values = v;
    this.counts = c;
    this.start = 0;
  }

  private at(i: number): number {
    return (this.start + i) % this.values.length;
  }

  /** Count-weighted mean of the last `windowSize` values (all when omitted or larger). */
  mean(windowSize?: number): number {
    if (windowSize === undefined || windowSize >= this.size) {
      if (this.size === 0) return Number.NaN;
      return this.sumValues / this.sumCounts;
    }
    let v = 0;
    let c = 0;
    for (let i = this.size - windowSize; i < this.size; i++) {
      const j = this.at(i);
      v += this.values[j];
      c += this.counts[j];
    }
    return v / c;
  }

  max(windowSize?: number): number {
    return this.reduce(windowSize, Math.max, Number.NEGATIVE_INFINITY);
  }

  min(windowSize?: number): number {
    return this.reduce(windowSize, Math.min, Number.POSITIVE_INFINITY);
  }

  private reduce(windowSize: number | undefined, f: (a: number, b: number) => number, init: number): number {
    const from = windowSize === undefined || windowSize >= this.size ? 0 : this.size - windowSize;
    let r = init;
    for (let i = from; i < this.size; i++) r = f(r, this.values[this.at(i)]);
    return r;
  }

  current(): number {
    if (this.size === 0) throw new TrainkitError('HistoryBuffer is empty: call update first');
    return this.values[this.at(this.size - 1)];
  }

  statistics(name: string, ...args: unknown[]): number {
    switch (name) {
      case 'mean':
        return this.mean(args[0] as number | undefined);
      case 'max':
        return this.max(args[0] as number | undefined);
      case 'min':
        return this.min(args[0] as number | undefined);
      case 'current':
        return this.current();
    }
    const fn = STATISTICS.get(name);
    if (!fn) {
      throw new TrainkitError(`unknown statistic "${name}": use mean, max, min, current or one registered with HistoryBuffer.registerStatistic`);
    }
    return fn(this, ...args);
  }

  /** The retained values, oldest first (a copy). */
  data(): { values: number[]; counts: number[] } {
    const values: number[] = new Array(this.size);
    const counts: number[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const j = this.at(i);
      values[i] = this.values[j];
      counts[i] = this.counts[j];
    }
    return { values, counts };
  }

  stateDict(): { log_history: number[]; count_history: number[]; max_length: number } {
    const { values, counts } = this.data();
    return { log_history: values, count_history: counts, max_length: this.maxLength };
  }

  static fromState(state: { log_history: number[]; count_history: number[]; max_length?: number }): HistoryBuffer {
    return new HistoryBuffer(state.log_history, state.count_history, state.max_length);
  }
}
