import { z } from 'zod';
import type { BaseModel } from '../model/base-model.js';
import { defineOptions, parseOptions } from '../registry/options.js';
import { ConfigError } from '../errors.js';

/**
 * `model_wrapper_cfg`: MMEngine's MMDistributedDataParallel options. The wrapper itself is the
 * model seen through a proxy with `.module`, so hooks written for MMEngine
 * (`isModelWrapper(runner.model) ? runner.model.module : runner.model`) work, and everything else
 * keeps calling the model it always called.
 */
export const modelWrapperOptions = defineOptions({
  type: z.enum(['MMDistributedDataParallel', 'DistributedDataParallel']).default('MMDistributedDataParallel'),
  /** Bucket size for the gradient all-reduce, as DDP's bucket_cap_mb. */
  bucket_cap_mb: z.number().positive().default(25),
  /** Broadcast the buffers from rank 0 before each forward (MMEngine's runner passes false). */
  broadcast_buffers: z.literal(false).default(false),
  /** Unused parameters get zero gradients in TensorFlow.js, so every rank reduces the same list. */
  find_unused_parameters: z.boolean().default(false),
});
export type ModelWrapperOptions = z.output<typeof modelWrapperOptions>;

const WRAPPED = Symbol('trainkit.modelWrapper');

export function parseModelWrapperCfg(cfg: unknown): ModelWrapperOptions {
  if (cfg && typeof cfg === 'object' && (cfg as { broadcast_buffers?: unknown }).broadcast_buffers === true) {
    throw new ConfigError('model_wrapper_cfg.broadcast_buffers: true is not supported', {
      path: 'model_wrapper_cfg.broadcast_buffers',
      found: true,
      fix: 'remove it (buffers are averaged by SyncBuffersHook instead, as MMEngine does)',
    });
  }
  return parseOptions(modelWrapperOptions, cfg ?? {}, 'model_wrapper_cfg', 'model wrapper');
}

export type WrappedModel<M extends BaseModel = BaseModel> = M & { readonly module: M };

/** The model as DDP wraps it: the same object, plus `.module` and the wrapper's options. */
export function wrapModel<M extends BaseModel>(model: M, opts: ModelWrapperOptions): WrappedModel<M> {
  return new Proxy(model, {
    get(target, key, receiver) {
      if (key === 'module') return target;
      if (key === WRAPPED) return opts;
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      return key === 'module' || key === WRAPPED || Reflect.has(target, key);
    },
  }) as WrappedModel<M>;
}

/** MMEngine's is_model_wrapper. */
export function isModelWrapper(model: unknown): model is WrappedModel {
  return typeof model === 'object' && model !== null && (model as Record<symbol, unknown>)[WRAPPED] !== undefined;
}

/** The wrapper's options (undefined for a bare model). */
export function modelWrapperOf(model: unknown): ModelWrapperOptions | undefined {
  return isModelWrapper(model) ? ((model as unknown as Record<symbol, unknown>)[WRAPPED] as ModelWrapperOptions) : undefined;
}
