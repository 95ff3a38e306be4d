import { ConfigError, TrainkitError, defineOptions, z } from '@trainkit/core';
import { type CommonSchedulerOptions, checkWindow, schedulerShape } from './common.js';
import { ParamScheduler, type ScheduleRule, type SchedulerArgs } from './param-scheduler.js';

const shape = {
  ...schedulerShape,
  eta_max: z.union([z.number(), z.array(z.number())]).default(0),
  total_steps: z.number().int().positive().nullable().optional(),
  pct_start: z.number().min(0).max(1).default(0.3),
  anneal_strategy: z.enum(['cos', 'linear']).default('cos'),
  div_factor: z.number().positive().default(25),
  final_div_factor: z.number().positive().default(1e4),
  three_phase: z.boolean().default(false),
};

export const oneCycleSchedulerOptions = defineOptions(shape).superRefine(checkWindow);
export const oneCycleParamSchedulerOptions = defineOptions({ ...shape, param_name: z.literal('lr').default('lr') }).superRefine(checkWindow);
export type OneCycleSchedulerOptions = z.input<typeof oneCycleSchedulerOptions>;

type Options = CommonSchedulerOptions & {
  eta_max: number | number[];
  total_steps?: number | null;
  pct_start: number;
  anneal_strategy: 'cos' | 'linear';
  div_factor: number;
  final_div_factor: number;
  three_phase: boolean;
};

interface Phase {
  end_step: number;
  start_lr: string;
  end_lr: string;
}

/**
 * The 1cycle policy: from `eta_max / div_factor` up to `eta_max` over `pct_start` of the steps,
 * then down to `initial / final_div_factor` (three-phase: back to the initial value first). It
 * sets the value outright rather than chaining, and writes `initial_lr`, `max_lr`, `min_lr`
 * into the groups.
 */
class OneCycleRule implements ScheduleRule {
  totalSteps: number;
  phases: Phase[];
  annealStrategy: 'cos' | 'linear';

  constructor(o: Options, s: ParamScheduler) {
    this.totalSteps = o.total_steps ?? s.end - s.begin;
    this.annealStrategy = o.anneal_strategy;
    const T = this.totalSteps;
    this.phases = o.three_phase
      ? [
          { end_step: o.pct_start * T - 1, start_lr: 'initial_lr', end_lr: 'max_lr' },
          { end_step: 2 * o.pct_start * T - 2, start_lr: 'max_lr', end_lr: 'initial_lr' },
          { end_step: T - 1, start_lr: 'initial_lr', end_lr: 'min_lr' },
        ]
      : [
          { end_step: o.pct_start * T - 1, start_lr: 'initial_lr', end_lr: 'max_lr' },
          { end_step: T - 1, start_lr: 'max_lr', end_lr: 'min_lr' },
        ];
    const groups = s.groups;
    const etaMax = Array.isArray(o.eta_max) ? o.eta_max : groups.map(() => o.eta_max as number);
    if (etaMax.length !== groups.length) {
      throw new ConfigError(`OneCycle: eta_max has ${etaMax.length} values for ${groups.length} param groups`, {
        path: 'eta_max',
        fix: `give one number, or one per group (${groups.length}, counting the wrapper's base group when there are several)`,
      });
    }
    if (o.last_step === -1) {
      groups.forEach((g, i) => {
        g.initial_lr = etaMax[i] / o.div_factor;
        g.max_lr = etaMax[i];
        g.min_lr = (g.initial_lr as number) / o.final_div_factor;
      });
    }
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  values(s: ParamScheduler): number[] {
    const t = s.lastStep;
    if (t > this.totalSteps) {
      throw new TrainkitError(`Tried to step ${t + 1} times. The specified number of total steps is ${this.totalSteps}`);
    }
    return s.groups.map((g) => {
      let start = 0;
      for (const [i, phase] of this.phases.entries()) {
        if (t <= phase.end_step || i === this.phases.length - 1) {
          const pct = (t - start) / (phase.end_step - start);
          return this.anneal(g[phase.start_lr] as number, g[phase.end_lr] as number, pct);
        }
        start = phase.end_step;
      }
      return g.lr;
    });
  }

  state() {
    return { total_steps: this.totalSteps, _schedule_phases: this.phases, anneal_strategy: this.annealStrategy };
  }

  load(st: Record<string, unknown>): void {
    if (typeof st.total_steps === 'number') this.totalSteps = st.total_steps;
    if (Array.isArray(st._schedule_phases)) this.phases = st._schedule_phases as Phase[];
    if (st.anneal_strategy === 'cos' || st.anneal_strategy === 'linear') this.annealStrategy = st.anneal_strategy;
  }
}

const setup = (typeName: string, schema: typeof oneCycleSchedulerOptions) => ({
  typeName,
  kind: 'lr' as const,
  schema,
  periodKeys: ['total_steps'],
  rule: (o: CommonSchedulerOptions, s: ParamScheduler) => new OneCycleRule(o as Options, s),
});

export class OneCycleLR extends ParamScheduler {
  constructor(args: SchedulerArgs & OneCycleSchedulerOptions) {
    super(args, setup('OneCycleLR', oneCycleSchedulerOptions));
  }
}

/** MMEngine's generic name; the policy is defined for the learning rate only. */
export class OneCycleParamScheduler extends ParamScheduler {
  constructor(args: SchedulerArgs & z.input<typeof oneCycleParamSchedulerOptions>) {
    super(args, setup('OneCycleParamScheduler', oneCycleParamSchedulerOptions as unknown as typeof oneCycleSchedulerOptions));
  }
}
