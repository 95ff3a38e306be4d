import { type OptionsSchema, parseOptions, z } from '@trainkit/core';

/**
 * Options of a module built directly (`new SGD({...})`) go through the same schema as options
 * from a config, so defaults and checks are the same either way. The registry has already
 * validated config options with their config path; this second parse only fills defaults there.
 */
export function ownOptions<S extends OptionsSchema>(schema: S, opts: object, injected: readonly string[], what: string): z.output<S> {
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) if (!injected.includes(k) && v !== undefined) own[k] = v;
  return parseOptions(schema, own, '', what);
}

/** A coefficient pair such as Adam's `betas`, with a message that says how to write it. */
export function betasSchema(upperInclusive = false) {
  const range = upperInclusive ? '[0, 1]' : '[0, 1)';
  return z
    .custom<[number, number]>((v) => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number'), {
      message: 'write betas as two coefficients [beta1, beta2], e.g. [0.9, 0.999]',
    })
    .refine((b) => b.every((x) => x >= 0 && (upperInclusive ? x <= 1 : x < 1)), { message: `give each beta in ${range}` });
}
