import { ConfigError, z } from '@trainkit/core';

/** MMEngine's "no end" (`int(1e9)`): finite, so it survives JSON in checkpoints. */
export const INF = 1e9;

/** Options every scheduler takes. */
export const schedulerShape = {
  begin: z.number().min(0).default(0),
  end: z.number().default(INF),
  by_epoch: z.boolean().default(true),
  last_step: z.number().int().min(-1).default(-1),
  verbose: z.boolean().default(false),
  /** Build an iteration-based scheduler from epoch-based arguments (needs by_epoch: true). */
  convert_to_iter_based: z.boolean().default(false),
};

/** The generic `*ParamScheduler` classes name the group key they schedule. */
export const paramNameShape = { param_name: z.string().min(1) };

export interface CommonSchedulerOptions {
  begin: number;
  end: number;
  by_epoch: boolean;
  last_step: number;
  verbose: boolean;
  convert_to_iter_based: boolean;
  param_name?: string;
}

/** The checks MMEngine makes in every scheduler's constructor, as issues at the offending key. */
export function checkWindow(o: { begin: number; end: number; by_epoch: boolean; convert_to_iter_based: boolean }, ctx: z.RefinementCtx): void {
  if (o.end <= o.begin) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: `end must be larger than begin (got begin=${o.begin}, end=${o.end}); raise end or lower begin` });
  }
  if (o.convert_to_iter_based && !o.by_epoch) {
    ctx.addIssue({
      code: 'custom',
      path: ['convert_to_iter_based'],
      message: 'only epoch-based arguments can be converted: set by_epoch: true, or drop convert_to_iter_based',
    });
  }
}

/**
 * MMEngine's `build_iter_from_epoch`: begin and end become iterations (truncated, INF stays),
 * the scheduler becomes iteration-based, and the period arguments named in `periodKeys` are
 * multiplied by the epoch length.
 */
export function toIterBased<O extends CommonSchedulerOptions>(o: O, epochLength: unknown, periodKeys: readonly string[], what: string): O {
  if (typeof epochLength !== 'number' || !(epochLength > 0) || !Number.isInteger(epochLength)) {
    throw new ConfigError(`${what}: convert_to_iter_based needs the epoch length, a positive integer`, {
      found: epochLength,
      fix: 'build it through the runner (which passes epoch_length), or pass epoch_length yourself',
    });
  }
  const out: Record<string, unknown> = { ...(o as object), by_epoch: false, convert_to_iter_based: false };
  out.begin = Math.trunc(o.begin * epochLength);
  out.end = o.end === INF ? INF : Math.trunc(o.end * epochLength);
  for (const key of periodKeys) {
    const v = out[key];
    if (typeof v === 'number') out[key] = v * epochLength;
    else if (Array.isArray(v)) out[key] = v.map((x) => (x as number) * epochLength);
  }
  return out as O;
}
