import { ConfigError } from '../errors.js';
import { getLogger } from '../logging/logger.js';
import { isPlainObject } from '../config/merge.js';
import type { OptimWrapperConstructorLike, OptimWrapperLike, ParamSchedulerLike } from '../optim/types.js';
import { OPTIM_WRAPPER_CONSTRUCTORS, PARAM_SCHEDULERS } from '../registry/root.js';

function isOptimWrapper(v: unknown): v is OptimWrapperLike {
  return typeof v === 'object' && v !== null && typeof (v as OptimWrapperLike).updateParams === 'function';
}

/**
 * `optim_wrapper` config -> wrapper, through the constructor it names (default
 * `DefaultOptimWrapperConstructor`, provided by @trainkit/optim).
 */
export function buildOptimWrapper(model: unknown, cfg: unknown): OptimWrapperLike {
  if (isOptimWrapper(cfg)) return cfg;
  if (!isPlainObject(cfg)) throw new ConfigError('optim_wrapper must be a config object', { path: 'optim_wrapper', found: cfg });
  const { constructor: ctorType, paramwise_cfg, ...wrapperCfg } = cfg as Record<string, unknown>;
  const ctor = OPTIM_WRAPPER_CONSTRUCTORS.build<OptimWrapperConstructorLike>(
    { type: (typeof ctorType === 'string' ? ctorType : undefined) ?? 'DefaultOptimWrapperConstructor', optim_wrapper_cfg: wrapperCfg, paramwise_cfg },
    {},
    'optim_wrapper.constructor',
  );
  return ctor.build(model);
}

export interface SchedulerContext {
  maxEpochs: number;
  maxIters: number;
  epochLength: number;
  hasTrainLoop: boolean;
}

/**
 * `param_scheduler` config -> schedulers. Each gets `end` defaulted from the train loop
 * (`max_epochs` when by_epoch, else `max_iters`) and the wrapper and epoch length as build
 * arguments, as MMEngine's runner does. A dict keyed by optimizer name builds one list per
 * member of an OptimWrapperDict.
 */
export function buildParamSchedulers(
  cfg: unknown,
  wrapper: OptimWrapperLike,
  ctx: SchedulerContext,
): ParamSchedulerLike[] | Record<string, ParamSchedulerLike[]> {
  const members = (wrapper as unknown as { wrappers?: Record<string, OptimWrapperLike> }).wrappers;
  if (members && isPlainObject(cfg) && !('type' in cfg)) {
    const out: Record<string, ParamSchedulerLike[]> = {};
    for (const [name, list] of Object.entries(cfg)) {
      const member = members[name];
      if (!member)
        throw new ConfigError(`param_scheduler.${name} names no optimizer of the optim_wrapper`, {
          path: `param_scheduler.${name}`,
          fix: `use one of ${Object.keys(members).join(', ')}`,
        });
      out[name] = buildList(list, member, ctx, `param_scheduler.${name}`);
    }
    return out;
  }
  if (members) {
    return Object.fromEntries(Object.entries(members).map(([name, member]) => [name, buildList(cfg, member, ctx, 'param_scheduler')]));
  }
  return buildList(cfg, wrapper, ctx, 'param_scheduler');
}

function buildList(cfg: unknown, wrapper: OptimWrapperLike, ctx: SchedulerContext, path: string): ParamSchedulerLike[] {
  const list = Array.isArray(cfg) ? cfg : [cfg];
  return list.map((item, i) => {
    const at = Array.isArray(cfg) ? `${path}.${i}` : path;
    if (typeof (item as ParamSchedulerLike)?.step === 'function') return item as ParamSchedulerLike;
    if (!isPlainObject(item)) throw new ConfigError('a parameter scheduler must be a config object', { path: at, found: item });
    const c = { ...item };
    if (c.end === undefined && ctx.hasTrainLoop) c.end = (c.by_epoch ?? true) ? ctx.maxEpochs : ctx.maxIters;
    return PARAM_SCHEDULERS.build<ParamSchedulerLike>(c, { optimizer: wrapper, epoch_length: ctx.epochLength }, at);
  });
}

/** `auto_scale_lr`: scales every group's lr by `batch_size / base_batch_size` when enabled. */
export function scaleLr(wrapper: OptimWrapperLike, cfg: unknown, batchSize: number): void {
  if (cfg === undefined || cfg === null) return;
  const c = cfg as { base_batch_size?: unknown; enable?: unknown };
  if (!c.enable) return;
  if (typeof c.base_batch_size !== 'number' || c.base_batch_size <= 0) {
    throw new ConfigError('auto_scale_lr needs a positive base_batch_size', { path: 'auto_scale_lr.base_batch_size', found: c.base_batch_size });
  }
  const ratio = batchSize / c.base_batch_size;
  // the optimizer's own groups only, as MMEngine: the extra base group (no params) keeps its lr
  const members = (wrapper as unknown as { wrappers?: Record<string, OptimWrapperLike> }).wrappers;
  for (const w of members ? Object.values(members) : [wrapper]) for (const group of w.paramGroups) if (group.params.length) group.lr *= ratio;
  getLogger().info(`LR is set based on batch size of ${c.base_batch_size} and the current batch size is ${batchSize}. Scaling the original LR by ${ratio}.`);
}
