import { TrainkitError, defineOptions, z } from '@trainkit/core';
import { decodeNumber, encodeNumber } from '../util/json-number.js';
import { type CommonSchedulerOptions, checkWindow, paramNameShape, schedulerShape } from './common.js';
import { ParamScheduler, type ScheduleRule, type SchedulerArgs, type SchedulerKind } from './param-scheduler.js';

const shape = {
  ...schedulerShape,
  monitor: z.string().default('loss'),
  rule: z.enum(['less', 'greater']).default('less'),
  factor: z.number().min(0).lt(1).default(0.1),
  patience: z.number().int().min(0).default(10),
  threshold: z.number().min(0).default(1e-4),
  threshold_rule: z.enum(['rel', 'abs']).default('rel'),
  cooldown: z.number().int().min(0).default(0),
  min_value: z.union([z.number(), z.array(z.number())]).default(0),
  eps: z.number().min(0).default(1e-8),
};

function byEpochOnly(o: { by_epoch: boolean }, ctx: z.RefinementCtx): void {
  if (!o.by_epoch)
    ctx.addIssue({ code: 'custom', path: ['by_epoch'], message: 'ReduceOnPlateau steps on validation metrics, once per epoch: set by_epoch: true' });
}

export const reduceOnPlateauSchedulerOptions = defineOptions(shape).superRefine(checkWindow).superRefine(byEpochOnly);
export const reduceOnPlateauParamSchedulerOptions = defineOptions({ ...shape, ...paramNameShape })
  .superRefine(checkWindow)
  .superRefine(byEpochOnly);
export type ReduceOnPlateauSchedulerOptions = z.input<typeof reduceOnPlateauSchedulerOptions>;

type Options = CommonSchedulerOptions & z.output<typeof reduceOnPlateauSchedulerOptions>;

/** Holds the settings; the plateau logic needs metrics, so it lives in the scheduler's step. */
class PlateauRule implements ScheduleRule {
  minValues: number[];

  constructor(
    readonly o: Options,
    s: ParamScheduler,
  ) {
    const groups = s.groups;
    if (Array.isArray(o.min_value)) {
      const real = groups.length - (hasBaseGroup(s) ? 1 : 0);
      if (o.min_value.length !== real) {
        throw new TrainkitError(`ReduceOnPlateau: min_value has ${o.min_value.length} values for ${real} param groups; give one number or one per group`);
      }
      // the wrapper's base group follows the last real group
      this.minValues = hasBaseGroup(s) ? [...o.min_value, o.min_value[o.min_value.length - 1]] : [...o.min_value];
    } else {
      this.minValues = groups.map(() => o.min_value as number);
    }
  }

  values(s: ParamScheduler): number[] {
    return s.current().map((v, i) => Math.max(v * this.o.factor, this.minValues[i]));
  }

  state() {
    return { min_values: this.minValues };
  }

  load(st: Record<string, unknown>): void {
    if (Array.isArray(st.min_values)) this.minValues = st.min_values.map(Number);
  }
}

function hasBaseGroup(s: ParamScheduler): boolean {
  return Boolean((s.optimizer as { baseParamSettings?: unknown }).baseParamSettings);
}

/**
 * Lowers the value by `factor` when the monitored metric has not improved for more than
 * `patience` validations, then waits `cooldown` validations. `step()` without metrics (after
 * each train epoch) only counts epochs, which place the scheduler against `[begin, end)`.
 */
class ReduceOnPlateauBase extends ParamScheduler {
  override readonly needValArgs = true;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  private readonly settings: Options;

  constructor(args: SchedulerArgs, typeName: string, kind: SchedulerKind) {
    let settings: Options | undefined;
    super(args, {
      typeName,
      kind,
      schema: kind === 'param' ? reduceOnPlateauParamSchedulerOptions : reduceOnPlateauSchedulerOptions,
      initialStep: false,
      rule: (o, s) => {
        settings = o as Options;
        return new PlateauRule(o as Options, s);
      },
    });
    this.settings = settings!;
    this.best = this.worst();
  }

  private worst(): number {
    return this.settings.rule === 'less' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  private isBetter(a: number, best: number): boolean {
    const { rule, threshold_rule: tr, threshold } = this.settings;
    if (rule === 'less') return tr === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return tr === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  override step(metrics?: Record<string, unknown>): void {
    if (metrics === undefined) {
      this.globalStep++;
      return;
    }
    if (metrics === null || typeof metrics !== 'object') throw new TrainkitError(`${this.typeName}.step expects the metrics object, got ${typeof metrics}`);
    if (this.begin <= this.globalStep && this.globalStep < this.end) {
      this.lastStep++;
      const value = metrics[this.settings.monitor];
      if (value === undefined || value === null) {
        throw new TrainkitError(
          `${this.typeName}: the metrics have no "${this.settings.monitor}" (they have ${Object.keys(metrics).join(', ')}); set monitor to one of them`,
        );
      }
      const metric = Number(value);
      if (this.isBetter(metric, this.best)) {
        this.best = metric;
        this.numBadEpochs = 0;
      } else {
        this.numBadEpochs++;
      }
      if (this.cooldownCounter > 0) {
        this.cooldownCounter--;
        this.numBadEpochs = 0;
      }
      if (this.numBadEpochs > this.settings.patience) {
        const current = this.current();
        const next = this.rule.values(this);
        this.apply(next, (i) => current[i] - next[i] > this.settings.eps);
        this.cooldownCounter = this.settings.cooldown;
        this.numBadEpochs = 0;
      }
    }
    this.afterStep();
  }

  override stateDict(): Record<string, unknown> {
    return {
      ...super.stateDict(),
      best: encodeNumber(this.best),
      num_bad_epochs: this.numBadEpochs,
      cooldown_counter: this.cooldownCounter,
      monitor: this.settings.monitor,
    };
  }

  override loadStateDict(state: Record<string, unknown>): void {
    super.loadStateDict(state);
    if (state.best !== undefined) this.best = decodeNumber(state.best);
    if (typeof state.num_bad_epochs === 'number') this.numBadEpochs = state.num_bad_epochs;
    if (typeof state.cooldown_counter === 'number') this.cooldownCounter = state.cooldown_counter;
  }
}

export class ReduceOnPlateauLR extends ReduceOnPlateauBase {
  constructor(args: SchedulerArgs & ReduceOnPlateauSchedulerOptions) {
    super(args, 'ReduceOnPlateauLR', 'lr');
  }
}

export class ReduceOnPlateauMomentum extends ReduceOnPlateauBase {
  constructor(args: SchedulerArgs & ReduceOnPlateauSchedulerOptions) {
    super(args, 'ReduceOnPlateauMomentum', 'momentum');
  }
}

export class ReduceOnPlateauParamScheduler extends ReduceOnPlateauBase {
  constructor(args: SchedulerArgs & z.input<typeof reduceOnPlateauParamSchedulerOptions>) {
    super(args, 'ReduceOnPlateauParamScheduler', 'param');
  }
}
