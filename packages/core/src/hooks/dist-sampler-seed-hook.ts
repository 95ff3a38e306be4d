import type { Runner } from '../runner/runner.js';
import { Hook } from './hook.js';

/** Tells the train sampler which epoch starts, so each epoch gets its own (seeded) shuffle. */
export class DistSamplerSeedHook extends Hook {
  override beforeTrainEpoch(runner: Runner): void {
    runner.trainDataloader?.sampler.setEpoch?.(runner.epoch);
  }
}
