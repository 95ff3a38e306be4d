import type { HParamValue } from '@trainkit/tfevents';

/**
 * A config as TensorBoard hparams: one entry per leaf, named by its dotted path as in
 * `--cfg-options` (`optim_wrapper.optimizer.lr`, `param_scheduler.0.type`). Lists of plain values
 * become one JSON string (`[3,6]`), so that a milestone list is one hparam, not several; classes
 * and functions given as `type` are named. Values HParams cannot show (undefined, symbols) are
 * left out.
 */
export function flattenHparams(value: unknown, prefix = '', out: Record<string, HParamValue> = {}): Record<string, HParamValue> {
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    if (prefix) out[prefix] = value;
    return out;
  }
  if (typeof value === 'bigint') {
    out[prefix] = Number(value);
    return out;
  }
  if (typeof value === 'function') {
    if (prefix) out[prefix] = value.name || 'function';
    return out;
  }
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || ['number', 'string', 'boolean'].includes(typeof v))) {
      if (prefix) out[prefix] = JSON.stringify(value);
      return out;
    }
    for (const [i, v] of value.entries()) flattenHparams(v, prefix ? `${prefix}.${i}` : String(i), out);
    return out;
  }
  if (typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const [k, v] of Object.entries(value)) flattenHparams(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}
