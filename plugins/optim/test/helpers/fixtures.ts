import * as tf from '@tensorflow/tfjs';
import { PARAM_SCHEDULERS, type ParamSchedulerLike, type Runner } from '@trainkit/core';
import { DefaultOptimWrapperConstructor, type OptimWrapper, ParamSchedulerHook } from '../../src/index.js';

let counter = 0;

/** A fresh trainable variable with a unique name. */
export function variable(values: number[], shape: number[] = [values.length]): tf.Variable {
  return tf.variable(tf.tensor(values, shape, 'float32'), true, `fixture_${counter++}`);
}

/** A wrapper built the way the runner builds it, over the given variables. */
export function buildWrapper(
  optimWrapperCfg: Record<string, unknown>,
  params: tf.Variable[] | Record<string, tf.Variable>,
  paramwiseCfg?: Record<string, unknown>,
): OptimWrapper {
  return new DefaultOptimWrapperConstructor({ optim_wrapper_cfg: optimWrapperCfg, paramwise_cfg: paramwiseCfg }).build(params) as OptimWrapper;
}

/** Schedulers built as the runner builds them: `end` defaulted from the loop, then the registry. */
export function buildSchedulers(cfgs: Array<Record<string, unknown>>, wrapper: unknown, loop: { epochs: number; itersPerEpoch: number }): ParamSchedulerLike[] {
  return cfgs.map((cfg, i) => {
    const c = { ...cfg };
    if (c.end === undefined) c.end = (c.by_epoch ?? true) ? loop.epochs : loop.epochs * loop.itersPerEpoch;
    return PARAM_SCHEDULERS.build<ParamSchedulerLike>(c, { optimizer: wrapper, epoch_length: loop.itersPerEpoch }, `param_scheduler.${i}`);
  });
}

/**
 * Drives schedulers through ParamSchedulerHook as a train loop would, calling `read` at the start
 * of every iteration (where the runner logs the lr) and `validate` after each epoch if given.
 */
export function simulate(
  schedulers: ParamSchedulerLike[] | Record<string, ParamSchedulerLike[]>,
  loop: { epochs: number; itersPerEpoch: number },
  read: (epoch: number, iter: number) => void,
  validate?: (epoch: number) => Record<string, unknown> | undefined,
): void {
  const hook = new ParamSchedulerHook();
  const runner = { paramSchedulers: schedulers } as unknown as Runner;
  for (let e = 0; e < loop.epochs; e++) {
    for (let i = 0; i < loop.itersPerEpoch; i++) {
      read(e, i);
      hook.afterTrainIter(runner);
    }
    hook.afterTrainEpoch(runner);
    const metrics = validate?.(e);
    if (metrics) hook.afterValEpoch(runner, metrics);
  }
}
