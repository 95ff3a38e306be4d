import type * as tf from '@tensorflow/tfjs';
import type { Runner } from '@trainkit/core';

/**
 * Weight and gradient histograms for the vis backends (TensorBoard's histograms, W&B's as
 * wandb.watch logs them): `gradients/<name>` as the optimizer wrapper is about to step,
 * `parameters/<name>` after the iteration. Values are read to JS only on the iterations logged.
 */
export class HistogramRecorder {
  constructor(readonly interval: number) {}

  private due(runner: Runner): boolean {
    return (runner.iter + 1) % this.interval === 0;
  }

  /** Asks the optimizer wrapper (built before the run starts) for its gradients at each step. */
  attach(runner: Runner): void {
    const wrapper = runner.optimWrapper;
    if (!wrapper) return;
    const names = new Map<tf.Variable, string>(runner.model.namedParameters().map(([name, v]) => [v, name]));
    wrapper.onGradients = (grads) => {
      if (!this.due(runner)) return;
      for (const [v, g] of grads) runner.visualizer.addHistogram(`gradients/${names.get(v) ?? v.name}`, g.dataSync(), runner.iter + 1);
    };
  }

  detach(runner: Runner): void {
    if (runner.optimWrapper) runner.optimWrapper.onGradients = undefined;
  }

  /** After an iteration that is due: the updated parameters. */
  afterIter(runner: Runner): void {
    if (!this.due(runner)) return;
    for (const [name, v] of runner.model.namedParameters()) runner.visualizer.addHistogram(`parameters/${name}`, v.dataSync(), runner.iter + 1);
  }
}
