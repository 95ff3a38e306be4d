import { defineOptions, z } from '@trainkit/core';
import { type CommonSchedulerOptions, checkWindow, paramNameShape, schedulerShape } from './common.js';
import { ParamScheduler, type ScheduleRule, type SchedulerArgs, type SchedulerKind } from './param-scheduler.js';

const shape = {
  ...schedulerShape,
  periods: z.array(z.number().int().positive()).min(1),
  restart_weights: z.array(z.number()).default([1]),
  eta_min: z.number().nullable().optional(),
  eta_min_ratio: z.number().nullable().optional(),
};

function check(o: { periods: number[]; restart_weights: number[]; eta_min?: number | null; eta_min_ratio?: number | null }, ctx: z.RefinementCtx): void {
  if ((o.eta_min == null) === (o.eta_min_ratio == null)) {
    ctx.addIssue({ code: 'custom', path: ['eta_min'], message: 'give exactly one of eta_min and eta_min_ratio' });
  }
  if (o.periods.length !== o.restart_weights.length) {
    ctx.addIssue({ code: 'custom', path: ['restart_weights'], message: `give one restart weight per period (${o.periods.length} periods)` });
  }
}

export const cosineRestartSchedulerOptions = defineOptions(shape).superRefine(checkWindow).superRefine(check);
export const cosineRestartParamSchedulerOptions = defineOptions({ ...shape, ...paramNameShape })
  .superRefine(checkWindow)
  .superRefine(check);
export type CosineRestartSchedulerOptions = z.input<typeof cosineRestartSchedulerOptions>;

type Options = CommonSchedulerOptions & { periods: number[]; restart_weights: number[]; eta_min?: number | null; eta_min_ratio?: number | null };

/**
 * Cosine annealing with warm restarts: each period starts again at base * its restart weight
 * and anneals toward eta_min; after the last period the value is left alone.
 */
class CosineRestartRule implements ScheduleRule {
  periods: number[];
  restartWeights: number[];
  etaMin: number | null;
  etaMinRatio: number | null;
  cumulativePeriods: number[] = [];

  constructor(o: Options) {
    this.periods = o.periods;
    this.restartWeights = o.restart_weights;
    this.etaMin = o.eta_min ?? null;
    this.etaMinRatio = o.eta_min_ratio ?? null;
    this.cumulate();
  }

  private cumulate(): void {
    let sum = 0;
    this.cumulativePeriods = this.periods.map((p) => (sum += p));
  }

  values(s: ParamScheduler): number[] {
    const t = s.lastStep;
    const idx = this.cumulativePeriods.findIndex((end) => t < end);
    const current = s.current();
    if (idx === -1) return current;
    const weight = this.restartWeights[idx];
    const restartAt = idx === 0 ? 0 : this.cumulativePeriods[idx - 1];
    const period = this.periods[idx];
    const step = t - restartAt;
    return current.map((v, i) => {
      const base = s.baseValues[i];
      const etaMax = base * weight;
      const etaMin = this.etaMinRatio === null ? (this.etaMin as number) : base * this.etaMinRatio;
      if (step === 0) return etaMax;
      return ((1 + Math.cos((Math.PI * step) / period)) / (1 + Math.cos((Math.PI * (step - 1)) / period))) * (v - etaMin) + etaMin;
    });
  }

  state() {
    return {
      periods: this.periods,
      restart_weights: this.restartWeights,
      eta_min: this.etaMin,
      eta_min_ratio: this.etaMinRatio,
      cumulative_periods: this.cumulativePeriods,
    };
  }

  load(st: Record<string, unknown>): void {
    if (Array.isArray(st.periods)) this.periods = st.periods.map(Number);
    if (Array.isArray(st.restart_weights)) this.restartWeights = st.restart_weights.map(Number);
    if ('eta_min' in st) this.etaMin = st.eta_min as number | null;
    if ('eta_min_ratio' in st) this.etaMinRatio = st.eta_min_ratio as number | null;
    this.cumulate();
  }
}

const setup = (typeName: string, kind: SchedulerKind) => ({
  typeName,
  kind,
  schema: kind === 'param' ? cosineRestartParamSchedulerOptions : cosineRestartSchedulerOptions,
  periodKeys: ['periods'],
  rule: (o: CommonSchedulerOptions) => new CosineRestartRule(o as Options),
});

export class CosineRestartLR extends ParamScheduler {
  constructor(args: SchedulerArgs & CosineRestartSchedulerOptions) {
    super(args, setup('CosineRestartLR', 'lr'));
  }
}

export class CosineRestartMomentum extends ParamScheduler {
  constructor(args: SchedulerArgs & CosineRestartSchedulerOptions) {
    super(args, setup('CosineRestartMomentum', 'momentum'));
  }
}

export class CosineRestartParamScheduler extends ParamScheduler {
  constructor(args: SchedulerArgs & z.input<typeof cosineRestartParamSchedulerOptions>) {
    super(args, setup('CosineRestartParamScheduler', 'param'));
  }
}
