import * as tf from '@tensorflow/tfjs';
import { PARAM_SCHEDULERS, type ParamSchedulerLike } from '@trainkit/core';
import type { OptimWrapper } from '../../src/index.js';
import { buildWrapper, variable } from './fixtures.js';

/**
 * The lr sequence of schedulers stepped together `n - 1` times (value after construction first),
 * over SGD with lr 1 as in MMEngine's seeds. Schedulers get the end given or none (INF).
 */
export function lrSequence(cfgs: Array<Record<string, unknown>>, n: number, optimizer: Record<string, unknown> = { type: 'SGD', lr: 1 }): number[] {
  const w = variable([1]);
  const wrapper: OptimWrapper = buildWrapper({ optimizer }, [w]);
  try {
    const schedulers = cfgs.map((c, i) => PARAM_SCHEDULERS.build<ParamSchedulerLike>(c, { optimizer: wrapper, epoch_length: 1 }, `param_scheduler.${i}`));
    const out = [wrapper.getLr().lr[0]];
    for (let k = 1; k < n; k++) {
      for (const s of schedulers) s.step();
      out.push(wrapper.getLr().lr[0]);
    }
    return out;
  } finally {
    wrapper.dispose();
    w.dispose();
  }
}

export function expectClose(actual: number[], expected: number[], digits = 6): void {
  if (actual.length !== expected.length) throw new Error(`lengths differ: got ${actual.length} values, expected ${expected.length}\n${actual}`);
  actual.forEach((a, i) => {
    if (Math.abs(a - expected[i]) > 0.5 * 10 ** -digits)
      throw new Error(`value ${i}: got ${a}, expected ${expected[i]}\n  all: ${actual.map((x) => x.toFixed(digits)).join(', ')}`);
  });
}

export { tf };
