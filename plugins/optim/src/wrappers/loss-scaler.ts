import { TrainkitError } from '@trainkit/core';

export interface LossScalerState {
  scale: number;
  growth_factor: number;
  backoff_factor: number;
  growth_interval: number;
  _growth_tracker: number;
  [key: string]: number;
}

/**
 * PyTorch's GradScaler bookkeeping: the loss is multiplied by `scale`; a step whose unscaled
 * gradients are not all finite is skipped and the scale backs off; after `growth_interval`
 * finite steps in a row it grows. A static scaler (`fixed`) keeps its scale and only skips.
 */
export class LossScaler {
  scale: number;
  growthTracker = 0;

  constructor(
    initScale: number,
    readonly growthFactor = 2,
    readonly backoffFactor = 0.5,
    readonly growthInterval = 2000,
    readonly enabled = true,
    readonly fixed = false,
  ) {
    // the scale lives in a float32 tensor in PyTorch; keep the same rounding
    this.scale = Math.fround(initScale);
  }

  /** After a step: back off on non-finite gradients, grow after a run of finite ones. */
  update(foundInf: boolean): void {
    if (!this.enabled || this.fixed) return;
    if (foundInf) {
      this.scale = Math.fround(this.scale * this.backoffFactor);
      this.growthTracker = 0;
      return;
    }
    this.growthTracker++;
    if (this.growthTracker === this.growthInterval) {
      this.scale = Math.fround(this.scale * this.growthFactor);
      this.growthTracker = 0;
    }
  }

  /** The factor the loss is multiplied by (1 when disabled). */
  get lossScale(): number {
    return this.enabled ? this.scale : 1;
  }

  stateDict(): LossScalerState {
    return {
      scale: this.scale,
      growth_factor: this.growthFactor,
      backoff_factor: this.backoffFactor,
      growth_interval: this.growthInterval,
      _growth_tracker: this.growthTracker,
    };
  }

  loadStateDict(state: Record<string, unknown>): void {
    if (typeof state.scale !== 'number') throw new TrainkitError('loss_scaler state has no numeric "scale"');
    this.scale = state.scale;
    if (typeof state._growth_tracker === 'number') this.growthTracker = state._growth_tracker;
  }
}
