/**
 * State dicts travel as JSON in checkpoints, where Infinity and NaN do not exist. Non-finite
 * numbers are written as the strings Python prints for them and read back.
 */
export function encodeNumber(v: number): number | string {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'nan';
  return v > 0 ? 'inf' : '-inf';
}

export function decodeNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'inf' || v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-inf' || v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (v === 'nan' || v === 'NaN') return Number.NaN;
  throw new TypeError(`expected a number in the state dict, got ${JSON.stringify(v)}`);
}

/** A deep copy of a JSON-like value (group hyper-parameters such as `betas` are arrays). */
export function copyPlain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copyPlain) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copyPlain(x);
    return out as T;
  }
  return v;
}
