import type { ParamGroup } from '@trainkit/core';
import { TrainkitError } from '@trainkit/core';

/**
 * A group's hyper-parameter as a number. Schedulers and constructors write groups freely, so a
 * wrong type is caught here with the key named rather than as NaN weights later.
 */
export function num(group: ParamGroup, key: string): number {
  const v = group[key];
  if (typeof v !== 'number') throw new TrainkitError(`param group hyper-parameter "${key}" must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function bool(group: ParamGroup, key: string): boolean {
  return Boolean(group[key]);
}

export function pair(group: ParamGroup, key: string): [number, number] {
  const v = group[key];
  if (!Array.isArray(v) || v.length !== 2) throw new TrainkitError(`param group hyper-parameter "${key}" must be two numbers, got ${JSON.stringify(v)}`);
  return [Number(v[0]), Number(v[1])];
}
