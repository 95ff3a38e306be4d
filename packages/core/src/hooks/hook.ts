import type { Checkpoint } from '../checkpoint/checkpoint.js';
import type { DataBatch } from '../data/types.js';
import type { Runner } from '../runner/runner.js';
import type { Awaitable, LogVars, Metrics } from '../types.js';
import type { PriorityLike } from './priority.js';

export type Mode = 'train' | 'val' | 'test';

/** Options every hook config accepts besides its own. */
export interface HookCommonOptions {
  priority?: PriorityLike;
  /** Type names of hooks this one must run after, at every point both implement. */
  run_after?: string[];
  /** Type names of hooks this one must run before. */
  run_before?: string[];
}

/**
 * The base of every hook. Override the points you need; each may return a promise, which the
 * runner awaits. The three `before*Epoch` / `after*Epoch` / `before*Iter` / `after*Iter`
 * families forward to `beforeEpoch` / `afterEpoch` / `beforeIter` / `afterIter` with the mode,
 * so overriding one of those hooks all three modes (as MMEngine's `_before_iter` does).
 */
export abstract class Hook {
  /** The registered type name, set by the runner when it builds the hook from a config. */
  typeName?: string;
  /** Default priority of this hook class; a config's `priority` overrides it. */
  priority: PriorityLike = 'NORMAL';
  /** Ordering constraints by hook type name, resolved within the priority order. */
  runAfter: string[] = [];
  runBefore: string[] = [];
  /** Hooks that write files or services (logs, checkpoints, images) run on rank 0 alone. */
  mainProcessOnly?: boolean;

  beforeRun?(runner: Runner): Awaitable<void>;
  afterRun?(runner: Runner): Awaitable<void>;
  afterLoadCheckpoint?(runner: Runner, checkpoint: Checkpoint): Awaitable<void>;
  beforeSaveCheckpoint?(runner: Runner, checkpoint: Checkpoint): Awaitable<void>;
  beforeTrain?(runner: Runner): Awaitable<void>;
  afterTrain?(runner: Runner): Awaitable<void>;
  beforeVal?(runner: Runner): Awaitable<void>;
  afterVal?(runner: Runner): Awaitable<void>;
  beforeTest?(runner: Runner): Awaitable<void>;
  afterTest?(runner: Runner): Awaitable<void>;

  beforeTrainEpoch?(runner: Runner): Awaitable<void>;
  beforeValEpoch?(runner: Runner): Awaitable<void>;
  beforeTestEpoch?(runner: Runner): Awaitable<void>;
  afterTrainEpoch?(runner: Runner): Awaitable<void>;
  afterValEpoch?(runner: Runner, metrics?: Metrics): Awaitable<void>;
  afterTestEpoch?(runner: Runner, metrics?: Metrics): Awaitable<void>;

  beforeTrainIter?(runner: Runner, batchIdx: number, dataBatch?: DataBatch): Awaitable<void>;
  beforeValIter?(runner: Runner, batchIdx: number, dataBatch?: DataBatch): Awaitable<void>;
  beforeTestIter?(runner: Runner, batchIdx: number, dataBatch?: DataBatch): Awaitable<void>;
  afterTrainIter?(runner: Runner, batchIdx: number, dataBatch?: DataBatch, outputs?: LogVars): Awaitable<void>;
  afterValIter?(runner: Runner, batchIdx: number, dataBatch?: DataBatch, outputs?: unknown[]): Awaitable<void>;
  afterTestIter?(runner: Runner, batchIdx: number, dataBatch?: DataBatch, outputs?: unknown[]): Awaitable<void>;

  /** Called with the error when a run fails or is interrupted, before it unwinds. */
  onException?(runner: Runner, error: unknown): Awaitable<void>;

  /** Mode-generic forms (see the class comment). */
  beforeEpoch?(runner: Runner, mode: Mode): Awaitable<void>;
  afterEpoch?(runner: Runner, mode: Mode, metrics?: Metrics): Awaitable<void>;
  beforeIter?(runner: Runner, batchIdx: number, dataBatch: DataBatch | undefined, mode: Mode): Awaitable<void>;
  afterIter?(runner: Runner, batchIdx: number, dataBatch: DataBatch | undefined, outputs: unknown, mode: Mode): Awaitable<void>;

  /**
   * Tensors the hook keeps as its own state (e.g. EMA weights); the tensor-leak guard does not
   * count them as leaks.
   */
  heldTensors?(): number;

  /** Frees what the hook holds; `runner.dispose()` calls it. */
  dispose?(): void;

  /** The hook's name in logs and in the hook-order printout. */
  get displayName(): string {
    return this.typeName ?? this.constructor.name;
  }

  // ---- MMEngine's helper predicates -------------------------------------------------------

  everyNEpochs(runner: Runner, n: number, start = 0): boolean {
    const d = runner.epoch + 1 - start;
    return d >= 0 && n > 0 && d % n === 0;
  }

  everyNTrainIters(runner: Runner, n: number, start = 0): boolean {
    const d = runner.iter + 1 - start;
    return d >= 0 && n > 0 && d % n === 0;
  }

  everyNInnerIters(batchIdx: number, n: number): boolean {
    return n > 0 && (batchIdx + 1) % n === 0;
  }

  endOfEpoch(dataloader: { length: number }, batchIdx: number): boolean {
    return batchIdx + 1 === dataloader.length;
  }

  isLastTrainEpoch(runner: Runner): boolean {
    return runner.epoch + 1 === runner.maxEpochs;
  }

  isLastTrainIter(runner: Runner): boolean {
    return runner.iter + 1 === runner.maxIters;
  }
}
