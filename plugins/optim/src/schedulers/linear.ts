import { defineOptions, z } from '@trainkit/core';
import { type CommonSchedulerOptions, checkWindow, paramNameShape, schedulerShape } from './common.js';
import { ParamScheduler, type ScheduleRule, type SchedulerArgs, type SchedulerKind } from './param-scheduler.js';

const shape = {
  ...schedulerShape,
  // 0 would divide by zero in the chained update (MMEngine raises ZeroDivisionError one step later)
  start_factor: z
    .number()
    .gt(0)
    .max(1)
    .default(1 / 3),
  end_factor: z.number().min(0).max(1).default(1.0),
};

export const linearSchedulerOptions = defineOptions(shape).superRefine(checkWindow);
export const linearParamSchedulerOptions = defineOptions({ ...shape, ...paramNameShape }).superRefine(checkWindow);
export type LinearSchedulerOptions = z.input<typeof linearSchedulerOptions>;

type Options = CommonSchedulerOptions & { start_factor: number; end_factor: number };

/**
 * The value goes linearly from `start_factor` to `end_factor` times its base, reaching the end
 * at the last step inside the window (`end - begin - 1`), applied as a ratio to the current value.
 */
class LinearRule implements ScheduleRule {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(o: Options, s: ParamScheduler) {
    this.startFactor = o.start_factor;
    this.endFactor = o.end_factor;
    this.totalIters = s.end - s.begin - 1;
  }

  values(s: ParamScheduler): number[] {
    const t = s.lastStep;
    if (t === 0) return s.current().map((v) => v * this.startFactor);
    const d = this.endFactor - this.startFactor;
    return s.current().map((v) => v * (1 + d / (this.totalIters * this.startFactor + (t - 1) * d)));
  }

  state() {
    return { start_factor: this.startFactor, end_factor: this.endFactor, total_iters: this.totalIters };
  }

  load(st: Record<string, unknown>): void {
    if (typeof st.start_factor === 'number') this.startFactor = st.start_factor;
    if (typeof st.end_factor === 'number') this.endFactor = st.end_factor;
    if (typeof st.total_iters === 'number') this.totalIters = st.total_iters;
  }
}

const setup = (typeName: string, kind: SchedulerKind) => ({
  typeName,
  kind,
  schema: kind === 'param' ? linearParamSchedulerOptions : linearSchedulerOptions,
  rule: (o: CommonSchedulerOptions, s: ParamScheduler) => new LinearRule(o as Options, s),
});

export class LinearLR extends ParamScheduler {
  constructor(args: SchedulerArgs & LinearSchedulerOptions) {
    super(args, setup('LinearLR', 'lr'));
  }
}

export class LinearMomentum extends ParamScheduler {
  constructor(args: SchedulerArgs & LinearSchedulerOptions) {
    super(args, setup('LinearMomentum', 'momentum'));
  }
}

export class LinearParamScheduler extends ParamScheduler {
  constructor(args: SchedulerArgs & z.input<typeof linearParamSchedulerOptions>) {
    super(args, setup('LinearParamScheduler', 'param'));
  }
}
