/** Python's `f'{v:.{d}e}'`: exponent with a sign and at least two digits (`1.0000e-02`). */
export function formatExp(v: number, digits: number): string {
  if (!Number.isFinite(v)) return formatSpecial(v);
  const s = v.toExponential(digits);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * Python's `f'{v:.{d}f}'`. `toFixed` rounds an exact tie away from zero where Python rounds it to
 * even (0.40625 is 0.4063 in JS, 0.4062 in MMEngine's logs), so ties are settled here. A double
 * lies exactly halfway between two d-digit decimals iff `v * 2^(d+1)` is an odd integer.
 */
export function formatFixed(v: number, digits: number): string {
  if (!Number.isFinite(v)) return formatSpecial(v);
  const scaled = Math.abs(v) * 2 ** (digits + 1);
  if (Number.isSafeInteger(scaled) && scaled % 2 === 1) {
    // exact: the tie has digits + 1 decimals; drop the final 5 when the kept digit is even
    const exact = v.toFixed(digits + 1).slice(0, -1);
    const kept = exact.endsWith('.') ? exact.slice(0, -1) : exact;
    if (Number(kept[kept.length - 1]) % 2 === 0) return kept;
  }
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
