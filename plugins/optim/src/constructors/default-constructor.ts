import { ConfigError, type OptimWrapperConstructorLike, type OptimWrapperLike, type ParameterInfo, parseOptions, type z } from '@trainkit/core';
import { isPlainObject } from '@trainkit/core/config';
import { Optimizer, type ParamGroupInput, type Params } from '../optimizers/optimizer.js';
import { OptimWrapperDict } from '../wrappers/optim-wrapper-dict.js';
import { buildOptimizer, buildWrapper, optimizerConfig, resolvedOptimizerOptions } from './build-optimizer.js';
import { namedParameters } from './named-params.js';
import { type ConstructorArgs, paramwiseOptions } from './options.js';
import { paramwiseGroups } from './paramwise.js';

const WRAPPER_PATH = 'optim_wrapper';
const PARAMWISE_PATH = 'optim_wrapper.paramwise_cfg';

/**
 * MMEngine's DefaultOptimWrapperConstructor: builds the optimizer from `optim_wrapper.optimizer`
 * over the model's named parameters, one group for all of them or, with `paramwise_cfg`, one
 * group per parameter with its multipliers; then wraps it (`type`, default OptimWrapper).
 *
 * A config without `optimizer` whose entries are each a wrapper config (`{generator:
 * {optimizer: ...}, discriminator: {...}}`) builds an OptimWrapperDict, one wrapper per entry
 * over the parameters named `<entry>.*` (as mmagic's multi-optimizer constructor does).
 */
export class DefaultOptimWrapperConstructor implements OptimWrapperConstructorLike {
  readonly optimWrapperCfg: Record<string, unknown>;
  readonly paramwiseCfg: Record<string, unknown>;

  constructor(args: ConstructorArgs) {
    if (!isPlainObject(args?.optim_wrapper_cfg)) {
      throw new ConfigError('optim_wrapper must be a config object', { path: WRAPPER_PATH, found: args?.optim_wrapper_cfg });
    }
    this.optimWrapperCfg = args.optim_wrapper_cfg;
    this.paramwiseCfg = (args.paramwise_cfg ?? {}) as Record<string, unknown>;
    if (this.isMulti()) {
      for (const [name, cfg] of Object.entries(this.optimWrapperCfg)) {
        if (isPlainObject(cfg)) this.validate(cfg as Record<string, unknown>, `${WRAPPER_PATH}.${name}`);
      }
    } else {
      this.validate(this.optimWrapperCfg, WRAPPER_PATH);
    }
  }

  /** No `optimizer` and every entry a wrapper config or a built wrapper. */
  private isMulti(): boolean {
    const c = this.optimWrapperCfg;
    if ('optimizer' in c || 'type' in c) return false;
    const values = Object.values(c);
    return values.length > 0 && values.every((v) => (isPlainObject(v) && 'optimizer' in v) || isWrapper(v));
  }

  /** MMEngine's checks of the multipliers against the optimizer's weight decay. */
  protected validate(wrapperCfg: Record<string, unknown>, path: string): void {
    const optimizerCfg = optimizerConfig(wrapperCfg, path);
    if (optimizerCfg instanceof Optimizer || Object.keys(this.paramwiseCfg).length === 0) return;
    const cfg = this.parsedParamwise();
    const hasWd = optimizerCfg.weight_decay !== undefined;
    if (hasWd) return;
    const needsWd = ['bias_decay_mult', 'norm_decay_mult', 'dwconv_decay_mult', 'flat_decay_mult'].find(
      (k) => k in cfg && cfg[k as keyof typeof cfg] !== undefined,
    );
    const customWd = Object.entries(cfg.custom_keys ?? {}).find(([, v]) => v.decay_mult !== undefined);
    if (needsWd || customWd) {
      throw new ConfigError('decay multipliers need the optimizer\'s weight_decay (MMEngine: "base_wd should not be None")', {
        path: needsWd ? `${PARAMWISE_PATH}.${needsWd}` : `${PARAMWISE_PATH}.custom_keys.${customWd![0]}.decay_mult`,
        fix: `set ${path}.optimizer.weight_decay (e.g. 1e-4), or remove the decay multiplier`,
      });
    }
  }

  protected parsedParamwise(): z.output<typeof paramwiseOptions> {
    return parseOptions(paramwiseOptions, this.paramwiseCfg, PARAMWISE_PATH, 'paramwise_cfg');
  }

  build(model: unknown): OptimWrapperLike {
    if (!this.isMulti()) return this.buildOne(namedParameters(model), this.optimWrapperCfg, WRAPPER_PATH);
    const all = namedParameters(model);
    const members: Record<string, OptimWrapperLike> = {};
    for (const [name, cfg] of Object.entries(this.optimWrapperCfg)) {
      if (isWrapper(cfg)) {
        members[name] = cfg;
        continue;
      }
      const own = all.filter((p) => p.name.startsWith(`${name}.`));
      if (own.length === 0) {
        throw new ConfigError(`no parameter of the model is named "${name}.*", so the "${name}" optimizer would have nothing to train`, {
          path: `${WRAPPER_PATH}.${name}`,
          fix: `name the entries of optim_wrapper after the model's parts (parameter names start with ${[...new Set(all.map((p) => p.name.split('.')[0]))].join(', ')})`,
        });
      }
      members[name] = this.buildOne(own, cfg as Record<string, unknown>, `${WRAPPER_PATH}.${name}`);
    }
    return new OptimWrapperDict(members);
  }

  /** Optimizer over `params` (grouped as paramwise_cfg says), wrapped. */
  protected buildOne(params: ParameterInfo[], wrapperCfg: Record<string, unknown>, path: string): OptimWrapperLike {
    const optimizerCfg = optimizerConfig(wrapperCfg, path);
    // a built optimizer already has its params, as in MMEngine's runner
    if (optimizerCfg instanceof Optimizer) return buildWrapper(wrapperCfg, optimizerCfg, path);
    const optimizerPath = `${path}.optimizer`;
    const groups = this.addParams(params, optimizerCfg, optimizerPath);
    const optimizer = buildOptimizer(optimizerCfg, groups, optimizerPath);
    return buildWrapper(wrapperCfg, optimizer, path);
  }

  /** The optimizer's params: all variables, or one group per parameter with paramwise settings. */
  protected addParams(params: ParameterInfo[], optimizerCfg: Record<string, unknown>, optimizerPath: string): Params | ParamGroupInput[] {
    if (Object.keys(this.paramwiseCfg).length === 0) return params.map((p) => p.variable);
    const resolved = resolvedOptimizerOptions(optimizerCfg, optimizerPath);
    const baseLr = Number(resolved.lr);
    const baseWd = optimizerCfg.weight_decay === undefined ? undefined : Number(optimizerCfg.weight_decay);
    return paramwiseGroups(params, this.parsedParamwise(), baseLr, baseWd);
  }
}

function isWrapper(v: unknown): v is OptimWrapperLike {
  return typeof v === 'object' && v !== null && typeof (v as OptimWrapperLike).updateParams === 'function';
}
