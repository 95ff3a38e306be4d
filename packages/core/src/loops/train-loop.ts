import type { DataLoader } from '../data/dataloader.js';

/** What the runner and hooks read from either train loop. */
export interface TrainLoop {
  readonly dataloader: DataLoader;
  epoch: number;
  iter: number;
  readonly maxEpochs: number;
  readonly maxIters: number;
  /** Set by a hook (e.g. early stopping) to end training after the current epoch / iteration. */
  stopTraining: boolean;
  run(): Promise<void>;
}
