import type { Evaluator } from '../evaluation/evaluator.js';
import { getProcessGroup } from './state.js';
import { collectResults } from './tensor-collectives.js';

/**
 * Before metrics are computed: every metric's results from all ranks, in dataset order with the
 * sampler's padding dropped, on every rank, so each rank computes the single-process figure.
 */
export async function gatherMetricResults(evaluator: Evaluator, size: number): Promise<void> {
  const group = getProcessGroup();
  if (!group || group.worldSize <= 1) return;
  for (const m of evaluator.metrics) m.results = await collectResults(group, m.results, size);
}
