/**
 * W&B's JSON dialect: history, summary and config values may hold the bare tokens `NaN`,
 * `Infinity` and `-Infinity` (the SDK writes them; `JSON.stringify` would turn them into `null`
 * and silently lose a diverged loss).
 */

/**
 * One number as JSON, on the training path. Integers take V8's fast path; other numbers are
 * written with 17 significant digits (always enough to read back the exact same double) and the
 * padding zeros trimmed, because V8's shortest-form `String(x)` costs several times more per
 * value (0.1 is written 0.10000000000000001: the same double, as W&B reads it).
 */
export function numberJson(v: number): string {
  if (Number.isInteger(v) && v <= 0x7fffffff && v >= -0x80000000) return String(v);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  const s = v.toPrecision(17);
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  if (mantissa.indexOf('.') < 0) return s;
  let end = mantissa.length;
  while (mantissa.charCodeAt(end - 1) === 48) end--;
  if (mantissa.charCodeAt(end - 1) === 46) end--;
  return e < 0 ? mantissa.slice(0, end) : mantissa.slice(0, end) + s.slice(e);
}

/** `JSON.stringify` with non-finite numbers kept as bare tokens. Input must be JSON-like. */
export function stringifyWandb(value: unknown): string {
  if (typeof value === 'number') return numberJson(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return stringifyWandb((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : stringifyWandb(v))).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(`${JSON.stringify(k)}:${stringifyWandb(v)}`);
  }
  return `{${parts.join(',')}}`;
}

// Sentinels that cannot come from real input: JSON strings never contain a raw U+0000.
const NAN = '\u0000NaN';
const POS = '\u0000+Inf';
const NEG = '\u0000-Inf';

/** `JSON.parse` that also accepts `NaN`, `Infinity` and `-Infinity` outside strings. */
export function parseWandb(text: string): unknown {
  if (!/NaN|Infinity/.test(text)) return JSON.parse(text);
  let out = '';
  let i = 0;
  let from = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      // skip the string, honouring escapes
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    const token = text.startsWith('NaN', i) ? 'NaN' : text.startsWith('-Infinity', i) ? '-Infinity' : text.startsWith('Infinity', i) ? 'Infinity' : undefined;
    if (token) {
      out += text.slice(from, i) + JSON.stringify(token === 'NaN' ? NAN : token === 'Infinity' ? POS : NEG);
      i += token.length;
      from = i;
      continue;
    }
    i++;
  }
  out += text.slice(from);
  return JSON.parse(out, (_k, v) => (v === NAN ? Number.NaN : v === POS ? Number.POSITIVE_INFINITY : v === NEG ? Number.NEGATIVE_INFINITY : v));
}
