import type { Checkpoint } from '@trainkit/core/checkpoint';
import { ConfigError, Hook, MODELS, type PriorityLike, type Runner, knownKeys, parseOptions, z } from '@trainkit/core';
import { didYouMean } from '@trainkit/core/plugin';
import type { BaseAveragedModel } from './averaged-model.js';
import { swapEmaStateDict } from './checkpoint-swap.js';
import { type EMAHookOptions, emaHookOwnOptions } from './options.js';

const ownSchema = z.looseObject(emaHookOwnOptions);
const OWN_KEYS = Object.keys(emaHookOwnOptions);

/**
 * Keeps an average of the model's weights (MMEngine's EMAHook): updated after every train
 * iteration, swapped into the model for validation and test, saved in checkpoints.
 *
 * Ordering: the optimizer steps inside the train step, before any `afterTrainIter` hook, so the
 * update always sees the stepped weights. What does depend on hook order is CheckpointHook at the
 * points both implement: at `afterTrainIter` (iteration checkpoints) the average must already
 * include this iteration, and at `afterValEpoch` (best checkpoints) the raw weights must be back
 * in the model before it saves. Hence `runBefore: ['CheckpointHook']`, which holds whatever
 * priorities a config sets.
 */
export class EMAHook extends Hook {
  override priority: PriorityLike = 'NORMAL';
  override runBefore = ['CheckpointHook'];
  readonly emaType: string;
  readonly strictLoad: boolean;
  readonly beginIter: number;
  readonly beginEpoch: number;
  /** Options for the averaged model (`momentum`, `interval`, `update_buffers`, `gamma`, ...). */
  readonly averagedOptions: Record<string, unknown>;
  emaModel: BaseAveragedModel | undefined;
  private source: Runner['model'] | undefined;
  /** True between the swaps around validation / test: the model holds the averaged weights. */
  private swapped = false;

  constructor(opts: EMAHookOptions = {}) {
    super();
    const { ema_type, strict_load, begin_iter, begin_epoch, ...rest } = parseOptions(ownSchema, opts, '', 'EMAHook');
    if (begin_iter !== 0 && begin_epoch !== 0) {
      throw new ConfigError('begin_iter and begin_epoch are both set', {
        path: 'EMAHook',
        found: { begin_iter, begin_epoch },
        fix: 'keep one of them (the other stays 0)',
      });
    }
    this.emaType = ema_type;
    this.strictLoad = strict_load;
    this.beginIter = begin_iter;
    this.beginEpoch = begin_epoch;
    this.averagedOptions = checkAveragedOptions(ema_type, rest);
  }

  /** Tensors the hook keeps alive on purpose (the averaged weights), for leak accounting. */
  override heldTensors(): number {
    return this.emaModel?.numTensors ?? 0;
  }

  override beforeRun(runner: Runner): void {
    this.ensureAverage(runner);
  }

  override beforeTrain(runner: Runner): void {
    if (this.beginEpoch > 0 && this.beginEpoch > runner.maxEpochs) {
      throw new ConfigError(`begin_epoch ${this.beginEpoch} is after the last epoch (${runner.maxEpochs}): the average would never start`, {
        path: 'EMAHook.begin_epoch',
        fix: `use a value <= ${runner.maxEpochs}`,
      });
    }
    if (this.beginEpoch === 0 && this.beginIter > runner.maxIters) {
      throw new ConfigError(`begin_iter ${this.beginIter} is after the last iteration (${runner.maxIters}): the average would never start`, {
        path: 'EMAHook.begin_iter',
        fix: `use a value <= ${runner.maxIters}`,
      });
    }
  }

  override afterTrainIter(runner: Runner): void {
    const ema = this.ensureAverage(runner);
    if (this.started(runner)) ema.updateParameters(runner.model);
    else ema.copyFrom(runner.model);
  }

  override beforeValEpoch(runner: Runner): void {
    this.swapIn(runner);
  }

  override afterValEpoch(runner: Runner): void {
    this.swapOut(runner);
  }

  override beforeTestEpoch(runner: Runner): void {
    this.swapIn(runner);
  }

  override afterTestEpoch(runner: Runner): void {
    this.swapOut(runner);
  }

  /** A failure during evaluation must not leave the averaged weights in the model. */
  override onException(runner: Runner): void {
    this.swapOut(runner);
  }

  override beforeSaveCheckpoint(_runner: Runner, checkpoint: Checkpoint): void {
    if (!this.emaModel) return;
    checkpoint.ema_state_dict = this.emaModel.stateDict();
    // while swapped (a save during evaluation) the model already holds the averaged weights and
    // the copy the raw ones, which is the layout the swap produces
    if (!this.swapped) swapEmaStateDict(checkpoint);
  }

  override afterLoadCheckpoint(runner: Runner, checkpoint: Checkpoint): void {
    const ema = this.ensureAverage(runner);
    const resuming = Boolean(runner.cfg.data.resume);
    const saved = checkpoint.ema_state_dict as Record<string, unknown> | undefined;
    let report: { missing: string[]; unexpected: string[] };
    if (resuming && saved) {
      swapEmaStateDict(checkpoint); // the raw weights go back to state_dict, for the model
      report = ema.loadStateDict(saved, this.strictLoad);
    } else {
      if (resuming) {
        runner.logger.warn('EMAHook: the checkpoint has no `ema_state_dict`; the average starts from its `state_dict` weights');
      }
      report = ema.loadModuleState(checkpoint.state_dict, this.strictLoad);
    }
    if (report.missing.length || report.unexpected.length) {
      runner.logger.warn(
        `EMAHook: the averaged model and the checkpoint do not match exactly\n  missing: ${report.missing.join(', ') || '(none)'}\n  unexpected: ${report.unexpected.join(', ') || '(none)'}`,
      );
    }
  }

  /** Frees the averaged weights (runner.dispose() calls it). */
  override dispose(): void {
    this.emaModel?.dispose();
    this.emaModel = undefined;
    this.source = undefined;
  }

  /**
   * The average of `runner.model`, made on first use. It is kept across runs of the same runner,
   * so `runner.test()` after `runner.train()` evaluates the averaged weights.
   */
  private ensureAverage(runner: Runner): BaseAveragedModel {
    if (this.emaModel && this.source === runner.model) return this.emaModel;
    this.emaModel?.dispose();
    this.emaModel = MODELS.build<BaseAveragedModel>({ type: this.emaType, ...this.averagedOptions }, { model: runner.model }, 'EMAHook');
    this.source = runner.model;
    return this.emaModel;
  }

  private started(runner: Runner): boolean {
    return this.beginEpoch > 0 ? runner.epoch + 1 >= this.beginEpoch : runner.iter + 1 >= this.beginIter;
  }

  private swapIn(runner: Runner): void {
    if (this.swapped || !this.emaModel) return;
    this.emaModel.swapWith(runner.model);
    this.swapped = true;
  }

  private swapOut(runner: Runner): void {
    if (!this.swapped || !this.emaModel) return;
    this.emaModel.swapWith(runner.model);
    this.swapped = false;
  }
}

/**
 * Checks the options meant for the averaged model against its declared schema now, so a typo
 * fails when the runner is built rather than when training starts. Types registered later (or
 * without a schema) are checked when built.
 */
function checkAveragedOptions(emaType: string, rest: Record<string, unknown>): Record<string, unknown> {
  const schema = MODELS.getEntry(emaType)?.options;
  if (!schema) return rest;
  const accepted = knownKeys(schema);
  for (const key of Object.keys(rest)) {
    if (accepted.includes(key)) continue;
    const all = [...OWN_KEYS, ...accepted];
    throw new ConfigError(`unknown option "${key}" for EMAHook with ema_type ${emaType}.${didYouMean(key, all)}`, {
      path: `EMAHook.${key}`,
      fix: `use one of: ${all.join(', ')}`,
    });
  }
  parseOptions(schema, rest, 'EMAHook', emaType);
  return rest;
}
