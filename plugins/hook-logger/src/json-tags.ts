import * as tf from '@tensorflow/tfjs';

const DROP = Symbol('drop');

function jsonValue(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  // JSON has no NaN or Infinity; null keeps the file parseable (Python would write NaN)
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof tf.Tensor) return value.isDisposed ? DROP : value.arraySync();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, jsonValue);
  if (Array.isArray(value)) return value.map(listItem);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return jsonTags(value as Record<string, unknown>);
  }
  return DROP;
}

/** A list keeps its positions: what JSON cannot hold becomes null there. */
function listItem(value: unknown): unknown {
  const j = jsonValue(value);
  return j === DROP ? null : j;
}

/**
 * A tag as a JSON object: tensors and typed arrays become lists, values JSON cannot hold
 * (functions, class instances, undefined) are dropped, as MMEngine does for the test results.
 */
export function jsonTags(tags: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tags)) {
    const j = jsonValue(v);
    if (j !== DROP) out[k] = j;
  }
  return out;
}
