import { defineOptions, z } from '@trainkit/core';
import { type CommonSchedulerOptions, checkWindow, paramNameShape, schedulerShape } from './common.js';
import { ParamScheduler, type ScheduleRule, type SchedulerArgs, type SchedulerKind } from './param-scheduler.js';

const shape = {
  ...schedulerShape,
  step_size: z.number().int().positive(),
  gamma: z.number().default(0.1),
};

export const stepSchedulerOptions = defineOptions(shape).superRefine(checkWindow);
export const stepParamSchedulerOptions = defineOptions({ ...shape, ...paramNameShape }).superRefine(checkWindow);
export type StepSchedulerOptions = z.input<typeof stepSchedulerOptions>;

type Options = CommonSchedulerOptions & { step_size: number; gamma: number };

/** Multiplies by `gamma` every `step_size` steps. */
class StepRule implements ScheduleRule {
  stepSize: number;
  gamma: number;

  constructor(o: Options) {
    this.stepSize = o.step_size;
    this.gamma = o.gamma;
  }

  values(s: ParamScheduler): number[] {
    const t = s.lastStep;
    if (t === 0 || t % this.stepSize !== 0) return s.current();
    return s.current().map((v) => v * this.gamma);
  }

  state() {
    return { step_size: this.stepSize, gamma: this.gamma };
  }

  load(st: Record<string, unknown>): void {
    if (typeof st.step_size === 'number') this.stepSize = st.step_size;
    if (typeof st.gamma === 'number') this.gamma = st.gamma;
  }
}

const setup = (typeName: string, kind: SchedulerKind) => ({
  typeName,
  kind,
  schema: kind === 'param' ? stepParamSchedulerOptions : stepSchedulerOptions,
  periodKeys: ['step_size'],
  rule: (o: CommonSchedulerOptions) => new StepRule(o as Options),
});

export class StepLR extends ParamScheduler {
  constructor(args: SchedulerArgs & StepSchedulerOptions) {
    super(args, setup('StepLR', 'lr'));
  }
}

export class StepMomentum extends ParamScheduler {
  constructor(args: SchedulerArgs & StepSchedulerOptions) {
    super(args, setup('StepMomentum', 'momentum'));
  }
}

export class StepParamScheduler extends ParamScheduler {
  constructor(args: SchedulerArgs & z.input<typeof stepParamSchedulerOptions>) {
    super(args, setup('StepParamScheduler', 'param'));
  }
}
