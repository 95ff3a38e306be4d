import { defineOptions, z } from '@trainkit/core';
import { type CommonSchedulerOptions, checkWindow, paramNameShape, schedulerShape } from './common.js';
import { ParamScheduler, type ScheduleRule, type SchedulerArgs, type SchedulerKind } from './param-scheduler.js';

const shape = {
  ...schedulerShape,
  // 0 cannot be undone by the division at the window's end (MMEngine raises ZeroDivisionError there)
  factor: z
    .number()
    .gt(0)
    .max(1)
    .default(1 / 3),
};

export const constantSchedulerOptions = defineOptions(shape).superRefine(checkWindow);
export const constantParamSchedulerOptions = defineOptions({ ...shape, ...paramNameShape }).superRefine(checkWindow);
export type ConstantSchedulerOptions = z.input<typeof constantSchedulerOptions>;

type Options = CommonSchedulerOptions & { factor: number };

/**
 * The value is multiplied by `factor` at the first step and divided by it again at step
 * `end - begin - 1`, so the reduced value lasts `end - begin - 1` steps (MMEngine's count).
 */
class ConstantRule implements ScheduleRule {
  factor: number;
  totalIters: number;

  constructor(o: Options, s: ParamScheduler) {
    this.factor = o.factor;
    this.totalIters = s.end - s.begin - 1;
  }

  values(s: ParamScheduler): number[] {
    const t = s.lastStep;
    if (t === 0) return s.current().map((v) => v * this.factor);
    if (t !== this.totalIters) return s.current();
    return s.current().map((v) => v * (1 / this.factor));
  }

  state() {
    return { factor: this.factor, total_iters: this.totalIters };
  }

  load(st: Record<string, unknown>): void {
    if (typeof st.factor === 'number') this.factor = st.factor;
    if (typeof st.total_iters === 'number') this.totalIters = st.total_iters;
  }
}

const setup = (typeName: string, kind: SchedulerKind) => ({
  typeName,
  kind,
  schema: kind === 'param' ? constantParamSchedulerOptions : constantSchedulerOptions,
  rule: (o: CommonSchedulerOptions, s: ParamScheduler) => new ConstantRule(o as Options, s),
});

export class ConstantLR extends ParamScheduler {
  constructor(args: SchedulerArgs & ConstantSchedulerOptions) {
    super(args, setup('ConstantLR', 'lr'));
  }
}

export class ConstantMomentum extends ParamScheduler {
  constructor(args: SchedulerArgs & ConstantSchedulerOptions) {
    super(args, setup('ConstantMomentum', 'momentum'));
  }
}

export class ConstantParamScheduler extends ParamScheduler {
  constructor(args: SchedulerArgs & z.input<typeof constantParamSchedulerOptions>) {
    super(args, setup('ConstantParamScheduler', 'param'));
  }
}
