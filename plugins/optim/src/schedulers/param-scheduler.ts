import { ConfigError, type OptionsSchema, type ParamGroup, type ParamSchedulerLike, TrainkitError, getLogger, parseOptions } from '@trainkit/core';
import { formatExp } from '@trainkit/core/plugin';
import { copyPlain, decodeNumber, encodeNumber } from '../util/json-number.js';
import { type CommonSchedulerOptions, toIterBased } from './common.js';

/** What a scheduler drives: anything with param groups (an optimizer wrapper or an optimizer). */
export interface SchedulerTarget {
  readonly paramGroups: ParamGroup[];
  readonly defaults?: Record<string, unknown>;
}

/** `lr` and `momentum` schedulers fix the key; `param` ones take `param_name`. */
export type SchedulerKind = 'lr' | 'momentum' | 'param';

/** A schedule's formula: the next value of every group, from the scheduler's position. */
export interface ScheduleRule {
  values(s: ParamScheduler): number[];
  /** The rule's own attributes for the state dict (JSON-safe). */
  state(): Record<string, unknown>;
  load(state: Record<string, unknown>): void;
}

export interface SchedulerSetup<O extends CommonSchedulerOptions> {
  typeName: string;
  kind: SchedulerKind;
  schema: OptionsSchema;
  /** Options that count epochs and are scaled by convert_to_iter_based. */
  periodKeys?: readonly string[];
  /** Makes the rule once begin/end are final; may prepare the groups (OneCycle). */
  rule(o: O, s: ParamScheduler): ScheduleRule;
  /** ReduceOnPlateau does not step on construction. */
  initialStep?: boolean;
}

export interface SchedulerArgs {
  optimizer: SchedulerTarget;
  epoch_length?: number;
  [option: string]: unknown;
}

/**
 * MMEngine's `_ParamScheduler`. Construction records `initial_<param>` in every group (once:
 * the first scheduler on an optimizer defines the base values) and takes step 0. Each `step()`
 * advances the global counter and, inside `[begin, end)`, moves the groups' values by the
 * rule, which works from the current value, so schedulers on the same key compose.
 */
export class ParamScheduler implements ParamSchedulerLike {
  readonly typeName: string;
  readonly optimizer: SchedulerTarget;
  paramName: string;
  begin: number;
  end: number;
  byEpoch: boolean;
  verbose: boolean;
  lastStep: number;
  globalStep: number;
  baseValues: number[];
  lastValue: number[] = [];
  /** Adam-style optimizers: `momentum` mirrors `betas[0]` and is written back after each step. */
  useBetas = false;
  readonly needValArgs: boolean = false;
  protected readonly rule: ScheduleRule;

  constructor(args: SchedulerArgs, setup: SchedulerSetup<CommonSchedulerOptions>) {
    const { optimizer, epoch_length, ...rest } = args;
    const own = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    let o = parseOptions(setup.schema, own, '', setup.typeName) as unknown as CommonSchedulerOptions;
    if (o.convert_to_iter_based) o = toIterBased(o, epoch_length, setup.periodKeys ?? [], setup.typeName);
    if (!optimizer || !Array.isArray((optimizer as SchedulerTarget).paramGroups)) {
      throw new TrainkitError(`${setup.typeName} needs the optimizer wrapper (or optimizer) whose param groups it schedules`);
    }
    this.typeName = setup.typeName;
    this.optimizer = optimizer;
    this.paramName = setup.kind === 'lr' ? 'lr' : setup.kind === 'momentum' ? 'momentum' : o.param_name!;
    this.begin = o.begin;
    this.end = o.end;
    this.byEpoch = o.by_epoch;
    this.verbose = o.verbose;
    if (setup.kind === 'momentum') this.useBetas = momentumFromBetas(optimizer, setup.typeName);
    this.rule = setup.rule(o, this);
    const initial = `initial_${this.paramName}`;
    for (const [i, g] of this.groups.entries()) {
      if (o.last_step === -1) {
        if (!(this.paramName in g)) throw missingKey(this.typeName, this.paramName, g);
        if (!(initial in g)) g[initial] = g[this.paramName];
      } else if (!(initial in g)) {
        throw new TrainkitError(`${this.typeName}: param group ${i} has no "${initial}", which resuming with last_step ${o.last_step} needs`);
      }
    }
    this.baseValues = this.groups.map((g) => g[initial] as number);
    this.lastStep = o.last_step;
    this.globalStep = setup.initialStep === false ? 0 : -1;
    if (setup.initialStep === false) this.lastValue = this.current();
    else this.step();
  }

  /** The groups this scheduler writes (the wrapper's, including its base group). */
  get groups(): ParamGroup[] {
    return this.optimizer.paramGroups;
  }

  /** Every group's current value of the scheduled key. */
  current(): number[] {
    return this.groups.map((g) => g[this.paramName] as number);
  }

  step(_metrics?: Record<string, unknown>): void {
    this.globalStep++;
    if (this.begin <= this.globalStep && this.globalStep < this.end) {
      this.lastStep++;
      this.apply(this.rule.values(this));
    }
    this.afterStep();
  }

  /** Writes new values into the groups (with MMEngine's verbose line). */
  protected apply(values: number[], only?: (i: number) => boolean): void {
    const groups = this.groups;
    values.forEach((v, i) => {
      if (only && !only(i)) return;
      groups[i][this.paramName] = v;
      if (this.verbose) getLogger().info(`Adjusting parameter value of group ${i} to ${formatExp(v, 4)}.`);
    });
  }

  protected afterStep(): void {
    this.lastValue = this.current();
    if (this.useBetas) {
      for (const g of this.groups) {
        const betas = g.betas as number[];
        g.betas = [g.momentum as number, betas[1]];
      }
    }
  }

  /** The values written by the last step, per group. */
  getLastValue(): number[] {
    return this.lastValue;
  }

  /** Every attribute but the optimizer, as MMEngine saves it (JSON-safe). */
  stateDict(): Record<string, unknown> {
    return {
      param_name: this.paramName,
      begin: this.begin,
      end: encodeNumber(this.end),
      by_epoch: this.byEpoch,
      verbose: this.verbose,
      last_step: this.lastStep,
      _global_step: this.globalStep,
      base_values: this.baseValues.map(encodeNumber),
      _last_value: this.lastValue.map(encodeNumber),
      use_betas: this.useBetas,
      ...copyPlain(this.rule.state()),
    };
  }

  loadStateDict(state: Record<string, unknown>): void {
    if (typeof state.param_name === 'string') this.paramName = state.param_name;
    if (state.begin !== undefined) this.begin = decodeNumber(state.begin);
    if (state.end !== undefined) this.end = decodeNumber(state.end);
    if (typeof state.by_epoch === 'boolean') this.byEpoch = state.by_epoch;
    if (typeof state.verbose === 'boolean') this.verbose = state.verbose;
    if (state.last_step !== undefined) this.lastStep = decodeNumber(state.last_step);
    if (state._global_step !== undefined) this.globalStep = decodeNumber(state._global_step);
    if (Array.isArray(state.base_values)) this.baseValues = state.base_values.map(decodeNumber);
    if (Array.isArray(state._last_value)) this.lastValue = state._last_value.map(decodeNumber);
    if (typeof state.use_betas === 'boolean') this.useBetas = state.use_betas;
    this.rule.load(state);
  }
}

/**
 * MMEngine's momentum schedulers: an optimizer with `momentum` is scheduled directly; one with
 * `betas` (Adam family) gets a `momentum` key mirroring `betas[0]`.
 */
function momentumFromBetas(optimizer: SchedulerTarget, what: string): boolean {
  const defaults = optimizer.defaults ?? optimizer.paramGroups[0] ?? {};
  if ('momentum' in defaults) return false;
  if ('betas' in defaults) {
    for (const g of optimizer.paramGroups) g.momentum = (g.betas as number[])[0];
    return true;
  }
  throw new ConfigError(`${what}: optimizer must support momentum when using momentum scheduler`, {
    fix: 'use an optimizer with momentum (SGD, RMSprop) or betas (Adam, AdamW, ...), or schedule another key with a *ParamScheduler',
  });
}

function missingKey(what: string, key: string, group: ParamGroup): ConfigError {
  const keys = Object.keys(group).filter((k) => k !== 'params' && typeof group[k] === 'number');
  return new ConfigError(`${what}: the optimizer's param groups have no "${key}" to schedule`, {
    fix: `schedule one of the optimizer's hyper-parameters: ${keys.join(', ')}`,
  });
}
