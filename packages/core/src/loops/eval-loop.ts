import type { DataLoader } from '../data/dataloader.js';
import type { Evaluator } from '../evaluation/evaluator.js';
import type { Runner } from '../runner/runner.js';
import type { Metrics } from '../types.js';
import { yieldToEventLoop } from './base-loop.js';
import { IterBasedTrainLoop } from './iter-based-train-loop.js';

export interface EvalLoopOptions {
  runner: Runner;
  dataloader: DataLoader;
  evaluator: Evaluator;
  /** Accepted for MMEngine configs; compute precision follows the backend. */
  fp16?: boolean;
}

/** Runs the model over a dataloader in predict mode and evaluates the metrics. */
abstract class EvalLoop {
  readonly runner: Runner;
  readonly dataloader: DataLoader;
  readonly evaluator: Evaluator;
  protected abstract readonly mode: 'val' | 'test';

  constructor(opts: EvalLoopOptions) {
    this.runner = opts.runner;
    this.dataloader = opts.dataloader;
    this.evaluator = opts.evaluator;
  }

  async run(): Promise<Metrics> {
    const { runner, mode } = this;
    const M = mode === 'val' ? 'Val' : 'Test';
    const meta = this.dataloader.dataset.metainfo;
    this.evaluator.datasetMeta = meta;
    if (runner.visualizer) runner.visualizer.datasetMeta = meta;
    // drawn at the step LoggerHook logs val scalars at by default
    const byEpoch = runner.trainLoop !== undefined && !(runner.trainLoop instanceof IterBasedTrainLoop);
    this.evaluator.setVisualizer(runner.visualizer, runner.hasTrainLoop ? (byEpoch ? runner.epoch : runner.iter) : 0);
    // train losses still on a GPU are read now, so hooks may read the hub synchronously during evaluation
    await runner.messageHub.settle();
    await runner.callHook(`before${M}`);
    await runner.callHook(`before${M}Epoch`);
    runner.model.eval();
    const batches = this.dataloader.batches();
    for (let idx = 0; ; idx++) {
      let batch = batches.next();
      if (batch instanceof Promise) batch = await batch;
      if (!batch) break;
      const b = runner.callHook(`before${M}Iter`, idx, batch);
      if (b) await b;
      const outputs = await (mode === 'val' ? runner.model.valStep(batch) : runner.model.testStep(batch));
      this.evaluator.process(outputs, batch);
      const a = runner.callHook(`after${M}Iter`, idx, batch, outputs);
      if (a) await a;
      const turn = yieldToEventLoop();
      if (turn) await turn;
    }
    const metrics = this.evaluator.evaluate(this.dataloader.dataset.length);
    await runner.callHook(`after${M}Epoch`, metrics);
    await runner.callHook(`after${M}`);
    return metrics;
  }
}

export class ValLoop extends EvalLoop {
  protected readonly mode = 'val' as const;
}

export class TestLoop extends EvalLoop {
  protected readonly mode = 'test' as const;
}
