import { defineOptions, z } from '@trainkit/core';
import { type CommonSchedulerOptions, checkWindow, paramNameShape, schedulerShape } from './common.js';
import { ParamScheduler, type ScheduleRule, type SchedulerArgs, type SchedulerKind } from './param-scheduler.js';

const shape = {
  ...schedulerShape,
  milestones: z.array(z.number().int().min(0)),
  gamma: z.number().default(0.1),
};

export const multiStepSchedulerOptions = defineOptions(shape).superRefine(checkWindow);
export const multiStepParamSchedulerOptions = defineOptions({ ...shape, ...paramNameShape }).superRefine(checkWindow);
export type MultiStepSchedulerOptions = z.input<typeof multiStepSchedulerOptions>;

type Options = CommonSchedulerOptions & { milestones: number[]; gamma: number };

/** Multiplies by `gamma` at each milestone; a milestone listed k times applies `gamma ** k`. */
class MultiStepRule implements ScheduleRule {
  milestones: number[];
  gamma: number;

  constructor(o: Options) {
    this.milestones = [...o.milestones].sort((a, b) => a - b);
    this.gamma = o.gamma;
  }

  values(s: ParamScheduler): number[] {
    const t = s.lastStep;
    let count = 0;
    for (const m of this.milestones) if (m === t) count++;
    if (count === 0) return s.current();
    return s.current().map((v) => v * this.gamma ** count);
  }

  state() {
    return { milestones: this.milestones, gamma: this.gamma };
  }

  load(st: Record<string, unknown>): void {
    if (Array.isArray(st.milestones)) this.milestones = st.milestones.map(Number);
    if (typeof st.gamma === 'number') this.gamma = st.gamma;
  }
}

const setup = (typeName: string, kind: SchedulerKind) => ({
  typeName,
  kind,
  schema: kind === 'param' ? multiStepParamSchedulerOptions : multiStepSchedulerOptions,
  periodKeys: ['milestones'],
  rule: (o: CommonSchedulerOptions) => new MultiStepRule(o as Options),
});

export class MultiStepLR extends ParamScheduler {
  constructor(args: SchedulerArgs & MultiStepSchedulerOptions) {
    super(args, setup('MultiStepLR', 'lr'));
  }

  /** The milestones as a multiset (MMEngine keeps a Counter). */
  get milestones(): number[] {
    return (this.rule as MultiStepRule).milestones;
  }
}

export class MultiStepMomentum extends ParamScheduler {
  constructor(args: SchedulerArgs & MultiStepSchedulerOptions) {
    super(args, setup('MultiStepMomentum', 'momentum'));
  }
}

export class MultiStepParamScheduler extends ParamScheduler {
  constructor(args: SchedulerArgs & z.input<typeof multiStepParamSchedulerOptions>) {
    super(args, setup('MultiStepParamScheduler', 'param'));
  }
}
