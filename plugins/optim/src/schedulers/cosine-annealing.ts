import { defineOptions, z } from '@trainkit/core';
import { type CommonSchedulerOptions, checkWindow, paramNameShape, schedulerShape } from './common.js';
import { ParamScheduler, type ScheduleRule, type SchedulerArgs, type SchedulerKind } from './param-scheduler.js';

const shape = {
  ...schedulerShape,
  T_max: z.number().positive().nullable().optional(),
  eta_min: z.number().nullable().optional(),
  eta_min_ratio: z.number().nullable().optional(),
};

function checkEtaMin(o: { eta_min?: number | null; eta_min_ratio?: number | null }, ctx: z.RefinementCtx): void {
  if (o.eta_min != null && o.eta_min_ratio != null) {
    ctx.addIssue({ code: 'custom', path: ['eta_min_ratio'], message: 'give either eta_min or eta_min_ratio, not both' });
  }
}

export const cosineAnnealingSchedulerOptions = defineOptions(shape).superRefine(checkWindow).superRefine(checkEtaMin);
export const cosineAnnealingParamSchedulerOptions = defineOptions({ ...shape, ...paramNameShape })
  .superRefine(checkWindow)
  .superRefine(checkEtaMin);
export type CosineAnnealingSchedulerOptions = z.input<typeof cosineAnnealingSchedulerOptions>;

type Options = CommonSchedulerOptions & { T_max?: number | null; eta_min?: number | null; eta_min_ratio?: number | null };

/**
 * Cosine annealing from the base value to `eta_min` (or base * `eta_min_ratio`) over `T_max`
 * steps (default `end - begin`, so the minimum itself is never reached inside the window),
 * periodic beyond. Applied as SGDR's recursive form, which equals the closed form without
 * outside changes and composes with other schedulers when there are some.
 */
class CosineAnnealingRule implements ScheduleRule {
  tMax: number;
  etaMin: number | null;
  etaMinRatio: number | null;

  constructor(o: Options, s: ParamScheduler) {
    this.tMax = o.T_max || s.end - s.begin;
    this.etaMinRatio = o.eta_min_ratio ?? null;
    this.etaMin = o.eta_min ?? (this.etaMinRatio === null ? 0 : null);
  }

  private etaMinFor(base: number): number {
    return this.etaMinRatio === null ? (this.etaMin as number) : base * this.etaMinRatio;
  }

  values(s: ParamScheduler): number[] {
    const t = s.lastStep;
    const T = this.tMax;
    const current = s.current();
    if (t === 0) return current;
    if (mod(t - 1 - T, 2 * T) === 0) {
      return current.map((v, i) => {
        const base = s.baseValues[i];
        return v + ((base - this.etaMinFor(base)) * (1 - Math.cos(Math.PI / T))) / 2;
      });
    }
    return current.map((v, i) => {
      const etaMin = this.etaMinFor(s.baseValues[i]);
      return ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (v - etaMin) + etaMin;
    });
  }

  state() {
    return { T_max: this.tMax, eta_min: this.etaMin, eta_min_ratio: this.etaMinRatio };
  }

  load(st: Record<string, unknown>): void {
    if (typeof st.T_max === 'number') this.tMax = st.T_max;
    if ('eta_min' in st) this.etaMin = st.eta_min as number | null;
    if ('eta_min_ratio' in st) this.etaMinRatio = st.eta_min_ratio as number | null;
  }
}

/** Python's modulo (the sign of the divisor). */
function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

const setup = (typeName: string, kind: SchedulerKind) => ({
  typeName,
  kind,
  schema: kind === 'param' ? cosineAnnealingParamSchedulerOptions : cosineAnnealingSchedulerOptions,
  periodKeys: ['T_max'],
  rule: (o: CommonSchedulerOptions, s: ParamScheduler) => new CosineAnnealingRule(o as Options, s),
});

export class CosineAnnealingLR extends ParamScheduler {
  constructor(args: SchedulerArgs & CosineAnnealingSchedulerOptions) {
    super(args, setup('CosineAnnealingLR', 'lr'));
  }

  get T_max(): number {
    return (this.rule as CosineAnnealingRule).tMax;
  }
}

export class CosineAnnealingMomentum extends ParamScheduler {
  constructor(args: SchedulerArgs & CosineAnnealingSchedulerOptions) {
    super(args, setup('CosineAnnealingMomentum', 'momentum'));
  }
}

export class CosineAnnealingParamScheduler extends ParamScheduler {
  constructor(args: SchedulerArgs & z.input<typeof cosineAnnealingParamSchedulerOptions>) {
    super(args, setup('CosineAnnealingParamScheduler', 'param'));
  }
}
