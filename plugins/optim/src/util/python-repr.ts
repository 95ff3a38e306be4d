/**
 * Python's `repr(float)`, so log lines read as MMEngine's do (`0.2`, `5e-05`, `1.0`): the
 * shortest round-tripping digits, scientific notation below 1e-4 or from 1e16 on.
 */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  if (abs < 1e-4 || abs >= 1e16) {
    const [mantissa, exp] = v.toExponential().split('e');
    const e = Number(exp);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(v);
  return Number.isInteger(v) ? `${s}.0` : s;
}

/** A group value as MMEngine's `paramwise_options` line prints it. */
export function pyValue(v: unknown): string {
  if (typeof v === 'number') return pyFloat(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return `[${v.map(pyValue).join(', ')}]`;
  return String(v);
}
