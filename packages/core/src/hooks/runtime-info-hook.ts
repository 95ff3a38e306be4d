import * as tf from '@tensorflow/tfjs';
import type { Runner } from '../runner/runner.js';
import type { LogVars, Metrics } from '../types.js';
import { Hook } from './hook.js';

function isScalar(v: unknown): v is number | tf.Tensor {
  return typeof v === 'number' || (v instanceof tf.Tensor && v.size === 1);
}

/**
 * Publishes runtime facts to the message hub: loop stage, epoch/iter and their maxima, the lr of
 * every group before each iteration, the train step's log vars after it, and metrics after
 * validation and test.
 */
export class RuntimeInfoHook extends Hook {
  override priority = 'VERY_HIGH' as const;
  private previousStage: string | undefined;

  override beforeRun(runner: Runner): void {
    runner.messageHub.updateInfoDict({
      cfg: runner.cfg.dump(),
      seed: runner.seed,
      experiment_name: runner.experimentName,
      trainkit_version: runner.versions.trainkit,
    });
  }

  override beforeTrain(runner: Runner): void {
    const hub = runner.messageHub;
    hub.updateInfoDict({ loop_stage: 'train', epoch: runner.epoch, iter: runner.iter, max_epochs: runner.maxEpochs, max_iters: runner.maxIters });
    const meta = runner.trainDataloader?.dataset.metainfo;
    if (meta) hub.updateInfo('dataset_meta', meta);
  }

  override afterTrain(runner: Runner): void {
    runner.messageHub.popInfo('loop_stage');
  }

  override beforeTrainEpoch(runner: Runner): void {
    runner.messageHub.updateInfo('epoch', runner.epoch);
  }

  override beforeTrainIter(runner: Runner): void {
    const hub = runner.messageHub;
    hub.updateInfo('iter', runner.iter);
    const wrapper = runner.optimWrapper;
    if (!wrapper) return;
    const lrs = wrapper.getLr();
    for (const name in lrs) hub.updateScalar(`train/${name}`, lrs[name][0]);
  }

  override afterTrainIter(runner: Runner, _batchIdx: number, _data?: unknown, outputs?: LogVars): void {
    if (!outputs) return;
    const hub = runner.messageHub;
    for (const key in outputs) hub.updateScalar(`train/${key}`, outputs[key]);
  }

  override beforeVal(runner: Runner): void {
    this.previousStage = runner.messageHub.getInfo<string>('loop_stage');
    runner.messageHub.updateInfo('loop_stage', 'val');
  }

  override afterVal(runner: Runner): void {
    if (this.previousStage === 'train') runner.messageHub.updateInfo('loop_stage', 'train');
    else runner.messageHub.popInfo('loop_stage');
  }

  override beforeTest(runner: Runner): void {
    runner.messageHub.updateInfo('loop_stage', 'test');
  }

  override afterTest(runner: Runner): void {
    runner.messageHub.popInfo('loop_stage');
  }

  override afterValEpoch(runner: Runner, metrics?: Metrics): void {
    publishMetrics(runner, 'val', metrics);
  }

  override afterTestEpoch(runner: Runner, metrics?: Metrics): void {
    publishMetrics(runner, 'test', metrics);
  }
}

function publishMetrics(runner: Runner, mode: 'val' | 'test', metrics?: Metrics): void {
  if (!metrics) return;
  for (const [k, v] of Object.entries(metrics)) {
    if (isScalar(v)) runner.messageHub.updateScalar(`${mode}/${k}`, v);
    else runner.messageHub.updateInfo(`${mode}/${k}`, v);
  }
}
