import type { DataLoader } from '../data/dataloader.js';
import { gatherMetricResults } from '../dist/gather-results.js';
import type { Evaluator } from '../evaluation/evaluator.js';
import type { Runner } from '../runner/runner.js';
import type { Metrics } from '../types.js';
import { yieldToEventLoop } from './base-loop.js';
import { IterBasedTrainLoop } from './iter-based-train-loop.js';
import { limitBatches } from './run-controls.js';

export interface EvalLoopOptions {
  runner: Runner;
  dataloader: DataLoader;
  evaluator: Evaluator;
  /** Accepted for MMEngine configs; compute precision follows the backend. */
  fp16?: boolean;
  /** Lightning's caps for quick checks (val_cfg.limit_val_batches, test_cfg.limit_test_batches). */
  limit_val_batches?: number;
  limit_test_batches?: number;
}

/** Runs the model over a dataloader in predict mode and evaluates the metrics. */
abstract class EvalLoop {
  readonly runner: Runner;
  readonly dataloader: DataLoader;
  readonly evaluator: Evaluator;
  protected abstract readonly mode: 'val' | 'test';
  /** The metrics of the last run (the end-of-training summary shows them). */
  lastMetrics: Metrics | undefined;

  constructor(opts: EvalLoopOptions, mode: 'val' | 'test') {
    this.runner = opts.runner;
    this.dataloader = opts.dataloader;
    this.evaluator = opts.evaluator;
    const limit = mode === 'val' ? opts.limit_val_batches : opts.limit_test_batches;
    limitBatches(this.dataloader, limit, `${mode}_cfg.limit_${mode}_batches`);
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
    await gatherMetricResults(this.evaluator, this.dataloader.dataset.length);
    // a limited loop saw only its first batches
    const seen =
      this.dataloader.limit === undefined
        ? this.dataloader.dataset.length
        : Math.min(this.dataloader.dataset.length, this.dataloader.length * this.dataloader.batchSize);
    const metrics = this.evaluator.evaluate(seen);
    this.lastMetrics = metrics;
    await runner.callHook(`after${M}Epoch`, metrics);
    await runner.callHook(`after${M}`);
    return metrics;
  }
}

export class ValLoop extends EvalLoop {
  protected readonly mode = 'val' as const;
  constructor(opts: EvalLoopOptions) {
    super(opts, 'val');
  }
}

export class TestLoop extends EvalLoop {
  protected readonly mode = 'test' as const;
  constructor(opts: EvalLoopOptions) {
    super(opts, 'test');
  }
}
