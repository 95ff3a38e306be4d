import type * as tf from '@tensorflow/tfjs';
import type { Runner } from '../runner/runner.js';
import { getProcessGroup } from '../dist/state.js';
import { allReduceMeanVariables } from '../dist/tensor-collectives.js';
import { Hook } from './hook.js';

/**
 * What a multi-process launcher hands to SyncBuffersHook: the number of processes and a mean
 * all-reduce over variables (in place). Without one, the hook uses the run's process group.
 */
export interface BufferCollective {
  readonly worldSize: number;
  allReduceMean(variables: tf.Variable[]): void | Promise<void>;
}

/**
 * Averages the model's buffers (non-trainable state such as BatchNorm statistics) over all
 * processes, so that every process validates the same model (MMEngine's SyncBuffersHook): after
 * each train epoch, and before validation when no epoch ended since the last sync (iteration-
 * based training). In one process there is nothing to average and the hook does nothing.
 */
export class SyncBuffersHook extends Hook {
  /** Overrides the run's process group (tests); one process makes every point a no-op. */
  collective: BufferCollective | undefined;
  private syncedThisEpoch = false;

  override afterTrainEpoch(runner: Runner): void | Promise<void> {
    const done = this.sync(runner);
    if (done) return done.then(() => void (this.syncedThisEpoch = true));
  }

  override beforeValEpoch(runner: Runner): void | Promise<void> {
    const done = this.syncedThisEpoch ? undefined : this.sync(runner);
    this.syncedThisEpoch = false;
    return done;
  }

  /** Undefined (and synchronous) when there is nothing to do, so one process pays no await. */
  private sync(runner: Runner): Promise<void> | undefined {
    const group = getProcessGroup();
    const c = this.collective ?? (group && { worldSize: group.worldSize, allReduceMean: (vars: tf.Variable[]) => allReduceMeanVariables(group, vars) });
    if (!c || c.worldSize <= 1) return undefined;
    const buffers = runner.model.namedBuffers().map(([, v]) => v);
    return Promise.resolve(buffers.length ? c.allReduceMean(buffers) : undefined);
  }
}
