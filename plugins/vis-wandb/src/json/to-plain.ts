// Config keys whose values must never reach a run page (a key written into init_kwargs.settings).
const SECRET_KEYS = new Set(['api_key', 'apiKey', 'WANDB_API_KEY']);

/**
 * Turns a trainkit config (which may hold classes, functions, Maps, typed arrays and cycles) into
 * plain JSON data for W&B's config. Classes and functions become their names, because that is
 * what a reader of the run page wants to see for `type: SomeModel`.
 */
export function toPlain(value: unknown, seen: Set<unknown> = new Set()): unknown {
  if (value === null || value === undefined) return value ?? null;
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return Number(value);
    case 'function':
      return value.name ? value.name : '<function>';
    case 'symbol':
      return String(value);
  }
  if (seen.has(value)) return '<circular>';
  seen.add(value);
  try {
    if (value instanceof Date) return value.toISOString();
    if (value instanceof RegExp) return String(value);
    if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
    if (Array.isArray(value)) return value.map((v) => toPlain(v, seen));
    if (value instanceof Set) return [...value].map((v) => toPlain(v, seen));
    if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlain(v, seen)]));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      out[k] = SECRET_KEYS.has(k) && typeof v === 'string' ? '<redacted>' : toPlain(v, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
