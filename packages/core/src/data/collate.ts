import { TrainkitError } from '../errors.js';
import { type DataBatch, type NdArray, type TypedArray, isNdArray } from './types.js';

export type CollateFunction = (items: unknown[]) => DataBatch;

/**
 * Stacks what can be stacked: NdArrays of one shape become one NdArray with a leading batch
 * dimension (one contiguous copy, ready to become a tensor), numbers a number list, objects are
 * collated key by key; `data_samples` and anything else stay lists.
 */
export function defaultCollate(items: unknown[]): DataBatch {
  return collateValue(items, '') as DataBatch;
}

/** Only groups: a list per key, nothing stacked (MMEngine's pseudo_collate). */
export function pseudoCollate(items: unknown[]): DataBatch {
  const first = items[0];
  if (first && typeof first === 'object' && !Array.isArray(first) && !isNdArray(first)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) out[key] = items.map((it) => (it as Record<string, unknown>)[key]);
    return out as DataBatch;
  }
  return { inputs: items };
}

function collateValue(items: unknown[], key: string): unknown {
  const first = items[0];
  if (key === 'data_samples') return items;
  if (isNdArray(first)) return stack(items as NdArray[], key);
  if (typeof first === 'number') return items as number[];
  if (first && typeof first === 'object' && !Array.isArray(first) && !ArrayBuffer.isView(first)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(first)) {
      out[k] = collateValue(
        items.map((it) => (it as Record<string, unknown>)[k]),
        k,
      );
    }
    return out;
  }
  return items;
}

/** Stacks equally shaped NdArrays into one `[n, ...shape]` NdArray. */
export function stack(arrays: NdArray[], key = 'inputs'): NdArray {
  const shape = arrays[0].shape;
  const per = arrays[0].data.length;
  for (const a of arrays) {
    if (a.data.length !== per || a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
      throw new TrainkitError(
        `cannot stack "${key}": shapes differ ([${shape}] and [${a.shape}]); resize samples in the pipeline or use collate_fn: {type: 'pseudo_collate'}`,
      );
    }
  }
  const Ctor = arrays[0].data.constructor as new (n: number) => TypedArray;
  const data = new Ctor(per * arrays.length);
  for (let i = 0; i < arrays.length; i++) data.set(arrays[i].data as never, i * per);
  return { data, shape: [arrays.length, ...shape] };
}
