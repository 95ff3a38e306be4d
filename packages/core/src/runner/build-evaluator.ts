import type { BaseMetric } from '../evaluation/base-metric.js';
import { Evaluator } from '../evaluation/evaluator.js';
import { METRICS } from '../registry/root.js';

/** MMEngine's evaluator building: an Evaluator, `{metrics}`, one metric config, or a list. */
export function buildEvaluator(cfg: unknown, path: string): Evaluator {
  if (cfg instanceof Evaluator) return cfg;
  let list: unknown[];
  let at = path;
  if (cfg && typeof cfg === 'object' && !Array.isArray(cfg) && 'metrics' in cfg) {
    const m = (cfg as { metrics: unknown }).metrics;
    list = Array.isArray(m) ? m : [m];
    at = `${path}.metrics`;
  } else {
    list = Array.isArray(cfg) ? cfg : [cfg];
  }
  const metrics = list.map((m, i) => {
    const itemPath = Array.isArray(cfg) || at !== path ? `${at}.${i}` : at;
    const metric = typeof (m as BaseMetric)?.process === 'function' ? (m as BaseMetric) : METRICS.build<BaseMetric>(m, {}, itemPath);
    metric.configPath ??= itemPath;
    return metric;
  });
  return new Evaluator(metrics);
}
