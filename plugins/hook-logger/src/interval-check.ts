/** What the interval check needs to know about the train loop. */
export interface TrainLoopShape {
  /** False for an IterBasedTrainLoop, whose whole run is one long epoch. */
  byEpoch: boolean;
  /** Batches in one pass of the train dataloader. */
  epochLength: number;
  maxIters: number;
}

/** 1, 2, 5, 10, 20, 50, ...: the largest such value not above `n` (at least 1). */
export function roundInterval(n: number): number {
  let best = 1;
  for (let scale = 1; scale <= n; scale *= 10) {
    for (const m of [1, 2, 5]) if (m * scale <= n) best = m * scale;
  }
  return best;
}

/**
 * The FAQ "no training log": an interval larger than the iterations it should divide. In an
 * epoch-based loop MMEngine's rule still logs each epoch's last iteration, so only the lines
 * within epochs are lost; in an iteration-based loop an interval above max_iters logs nothing
 * (or one line where the dataloader happens to end). Returns the warning, or undefined.
 */
export function intervalWarning(interval: number, ignoreLast: boolean, loop: TrainLoopShape): string | undefined {
  const span = loop.byEpoch ? loop.epochLength : loop.maxIters;
  if (interval <= span) return undefined;
  const suggest = roundInterval(Math.max(1, Math.floor(span / 2)));
  const fix = `set default_hooks.logger.interval to ${suggest} (anything up to ${span})`;
  if (loop.byEpoch) {
    return `LoggerHook interval ${interval} is larger than a train epoch (${span} iterations): no line falls on the interval, only the last iteration of each epoch is logged; ${fix} to see progress within epochs`;
  }
  const n = loop.epochLength;
  const endLine = n <= loop.maxIters && (!ignoreLast || n <= interval);
  const what = endLine ? `only iteration ${n} (where the dataloader ends) is logged` : 'no training line will be logged';
  return `LoggerHook interval ${interval} is larger than the ${span} training iterations: ${what}; ${fix}`;
}
