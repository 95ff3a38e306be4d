import { defineOptions, z } from '@trainkit/core';
import { type CommonSchedulerOptions, checkWindow, paramNameShape, schedulerShape } from './common.js';
import { ParamScheduler, type ScheduleRule, type SchedulerArgs, type SchedulerKind } from './param-scheduler.js';

const shape = { ...schedulerShape, gamma: z.number() };

export const exponentialSchedulerOptions = defineOptions(shape).superRefine(checkWindow);
export const exponentialParamSchedulerOptions = defineOptions({ ...shape, ...paramNameShape }).superRefine(checkWindow);
export type ExponentialSchedulerOptions = z.input<typeof exponentialSchedulerOptions>;

/** Multiplies by `gamma` at every step after the first. */
class ExponentialRule implements ScheduleRule {
  constructor(public gamma: number) {}

  values(s: ParamScheduler): number[] {
    if (s.lastStep === 0) return s.current();
    return s.current().map((v) => v * this.gamma);
  }

  state() {
    return { gamma: this.gamma };
  }

  load(st: Record<string, unknown>): void {
    if (typeof st.gamma === 'number') this.gamma = st.gamma;
  }
}

const setup = (typeName: string, kind: SchedulerKind) => ({
  typeName,
  kind,
  schema: kind === 'param' ? exponentialParamSchedulerOptions : exponentialSchedulerOptions,
  rule: (o: CommonSchedulerOptions) => new ExponentialRule((o as CommonSchedulerOptions & { gamma: number }).gamma),
});

export class ExponentialLR extends ParamScheduler {
  constructor(args: SchedulerArgs & ExponentialSchedulerOptions) {
    super(args, setup('ExponentialLR', 'lr'));
  }
}

export class ExponentialMomentum extends ParamScheduler {
  constructor(args: SchedulerArgs & ExponentialSchedulerOptions) {
    super(args, setup('ExponentialMomentum', 'momentum'));
  }
}

export class ExponentialParamScheduler extends ParamScheduler {
  constructor(args: SchedulerArgs & z.input<typeof exponentialParamSchedulerOptions>) {
    super(args, setup('ExponentialParamScheduler', 'param'));
  }
}
