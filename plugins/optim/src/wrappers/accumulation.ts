import { getLogger } from '@trainkit/core';

/**
 * MMEngine's gradient-accumulation bookkeeping. The loss is divided by the window size, except
 * in the last window of a run that does not fill a whole window, where it is divided by what is
 * left, so every update averages the iterations it covers.
 */
export class GradientAccumulation {
  innerCount = 0;
  maxCounts = -1;
  remainderCounts = -1;

  constructor(readonly counts: number) {}

  /** Called by the runner before training with the iteration it starts at and the total. */
  initialize(initCounts: number, maxCounts: number, hasBatchNorm: boolean): void {
    this.innerCount = initCounts;
    this.maxCounts = maxCounts;
    if (initCounts % this.counts !== 0) {
      getLogger().warn(
        'Resumed iteration number is not divisible by `accumulative_counts` in `OptimWrapper`, which means the gradient of some iterations is lost and the result may be influenced slightly.',
      );
    }
    if (hasBatchNorm && this.counts > 1) getLogger().warn('Gradient accumulative may slightly decrease performance because the model has BatchNorm layers.');
    this.remainderCounts = maxCounts % this.counts;
  }

  /** What the next backward's loss is divided by. */
  lossFactor(): number {
    if (this.counts === 1) return 1;
    if (this.maxCounts === -1) return this.counts;
    const factor = this.innerCount < this.maxCounts - this.remainderCounts ? this.counts : this.remainderCounts;
    if (factor <= 0) {
      throw new Error(
        `the loss factor of gradient accumulation must be positive, got ${factor}: initializeCountStatus was called with initCounts ${this.innerCount} and maxCounts ${this.maxCounts}`,
      );
    }
    return factor;
  }

  /** Whether the backward just counted ends a window. */
  shouldUpdate(): boolean {
    return this.innerCount % this.counts === 0 || this.innerCount === this.maxCounts;
  }

  /** Whether the next backward ends a window (where MMEngine lets DDP synchronise). */
  shouldSync(): boolean {
    return (this.innerCount + 1) % this.counts === 0 || this.innerCount + 1 === this.maxCounts;
  }
}
