import { defineOptions, z } from '@trainkit/core';
import { type CommonSchedulerOptions, checkWindow, paramNameShape, schedulerShape } from './common.js';
import { ParamScheduler, type ScheduleRule, type SchedulerArgs, type SchedulerKind } from './param-scheduler.js';

const shape = { ...schedulerShape, eta_min: z.number().default(0), power: z.number().default(1) };

export const polySchedulerOptions = defineOptions(shape).superRefine(checkWindow);
export const polyParamSchedulerOptions = defineOptions({ ...shape, ...paramNameShape }).superRefine(checkWindow);
export type PolySchedulerOptions = z.input<typeof polySchedulerOptions>;

type Options = CommonSchedulerOptions & { eta_min: number; power: number };

/** Polynomial decay to `eta_min`, reached at the last step inside the window. */
class PolyRule implements ScheduleRule {
  etaMin: number;
  power: number;
  totalIters: number;

  constructor(o: Options, s: ParamScheduler) {
    this.etaMin = o.eta_min;
    this.power = o.power;
    this.totalIters = s.end - s.begin - 1;
  }

  values(s: ParamScheduler): number[] {
    const t = s.lastStep;
    if (t === 0) return s.current();
    return s.current().map((v) => (v - this.etaMin) * (1 - 1 / (this.totalIters - t + 1)) ** this.power + this.etaMin);
  }

  state() {
    return { eta_min: this.etaMin, power: this.power, total_iters: this.totalIters };
  }

  load(st: Record<string, unknown>): void {
    if (typeof st.eta_min === 'number') this.etaMin = st.eta_min;
    if (typeof st.power === 'number') this.power = st.power;
    if (typeof st.total_iters === 'number') this.totalIters = st.total_iters;
  }
}

const setup = (typeName: string, kind: SchedulerKind) => ({
  typeName,
  kind,
  schema: kind === 'param' ? polyParamSchedulerOptions : polySchedulerOptions,
  rule: (o: CommonSchedulerOptions, s: ParamScheduler) => new PolyRule(o as Options, s),
});

export class PolyLR extends ParamScheduler {
  constructor(args: SchedulerArgs & PolySchedulerOptions) {
    super(args, setup('PolyLR', 'lr'));
  }
}

export class PolyMomentum extends ParamScheduler {
  constructor(args: SchedulerArgs & PolySchedulerOptions) {
    super(args, setup('PolyMomentum', 'momentum'));
  }
}

export class PolyParamScheduler extends ParamScheduler {
  constructor(args: SchedulerArgs & z.input<typeof polyParamSchedulerOptions>) {
    super(args, setup('PolyParamScheduler', 'param'));
  }
}
