import { ConfigError, OPTIMIZERS, OPTIM_WRAPPERS, type OptimWrapperLike, parseOptions } from '@trainkit/core';
import { isPlainObject } from '@trainkit/core/config';
import { Optimizer, type Params } from '../optimizers/optimizer.js';

/** The optimizer config with its defaults filled, to read `lr` / `weight_decay` for multipliers. */
export function resolvedOptimizerOptions(optimizerCfg: Record<string, unknown>, path: string): Record<string, unknown> {
  const { type, _scope_, ...own } = optimizerCfg;
  if (typeof type !== 'string') return own;
  const entry = OPTIMIZERS.resolve(type, path, typeof _scope_ === 'string' ? _scope_ : undefined);
  return entry.options ? (parseOptions(entry.options, own, path, type) as Record<string, unknown>) : own;
}

/** Builds the optimizer through OPTIMIZERS with `params` as the injected first argument. */
export function buildOptimizer(optimizerCfg: Record<string, unknown>, params: Params, path: string): Optimizer {
  return OPTIMIZERS.build<Optimizer>(optimizerCfg, { params }, path);
}

/** Builds the wrapper (`type` default OptimWrapper) around a built optimizer. */
export function buildWrapper(wrapperCfg: Record<string, unknown>, optimizer: Optimizer, path: string): OptimWrapperLike {
  const { optimizer: _cfg, ...rest } = wrapperCfg;
  return OPTIM_WRAPPERS.build<OptimWrapperLike>({ type: 'OptimWrapper', ...rest }, { optimizer }, path);
}

/** The `optimizer` entry of a wrapper config: a config, or an optimizer built by the caller. */
export function optimizerConfig(wrapperCfg: Record<string, unknown>, path: string): Record<string, unknown> | Optimizer {
  const cfg = wrapperCfg.optimizer;
  if (cfg instanceof Optimizer) return cfg;
  if (!isPlainObject(cfg)) {
    throw new ConfigError('the optim_wrapper config needs an optimizer', {
      path: `${path}.optimizer`,
      found: cfg,
      fix: "add optimizer: {type: 'SGD', lr: 0.01, momentum: 0.9} (any type registered in OPTIMIZERS)",
    });
  }
  return cfg as Record<string, unknown>;
}
