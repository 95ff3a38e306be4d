/** Python's `f'{v:.{d}e}'`: exponent with a sign and at least two digits (`1.0000e-02`). */
export function formatExp(v: number, digits: number): string {
  if (!Number.isFinite(v)) return formatSpecial(v);
  const s = v.toExponential(digits);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Python's `f'{v:.{d}f}'`. */
export function formatFixed(v: number, digits: number): string {
  if (!Number.isFinite(v)) return formatSpecial(v);
  return v.toFixed(digits);
}

function formatSpecial(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  return v > 0 ? 'inf' : '-inf';
}

/** Python's `str(datetime.timedelta(seconds=int(s)))`: `0:00:07`, `1 day, 1:01:01`. */
export function formatTimedelta(seconds: number): string {
  let s = Math.max(0, Math.trunc(seconds));
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const hms = `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  return days ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms;
}
