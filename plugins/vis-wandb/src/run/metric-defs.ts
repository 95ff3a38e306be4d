import { ConfigError } from '@trainkit/core';
import { numberJson } from '../json/wandb-json.js';
import type { DefineMetricItem } from '../options.js';
import type { MetricInfo } from '../record/messages.js';

const SUMMARY_KINDS = ['min', 'max', 'mean', 'best', 'last', 'none', 'copy'] as const;
type SummaryKind = (typeof SUMMARY_KINDS)[number];

function parseSummary(text: string | undefined, where: string): MetricInfo['summary'] {
  if (text === undefined) return undefined;
  const summary: NonNullable<MetricInfo['summary']> = {};
  for (const part of text.split(',').map((s) => s.trim().toLowerCase())) {
    if (!part) continue;
    if (!(SUMMARY_KINDS as readonly string[]).includes(part)) {
      throw new ConfigError(`unknown W&B summary "${part}"`, {
        path: where,
        found: text,
        fix: `use ${SUMMARY_KINDS.join(', ')} (comma-separated for several)`,
      });
    }
    summary[part as SummaryKind] = true;
  }
  return summary;
}

/**
 * `define_metric_cfg` as MMEngine reads it: a dict `{metric: summary}` becomes
 * `define_metric(metric, summary=...)`, a list of dicts becomes `define_metric(**d)`.
 */
export function parseDefineMetricCfg(cfg: Record<string, string> | DefineMetricItem[] | null | undefined): MetricInfo[] {
  if (!cfg) return [];
  const where = 'WandbVisBackend.define_metric_cfg';
  const items: DefineMetricItem[] = Array.isArray(cfg) ? cfg : Object.entries(cfg).map(([name, summary]) => ({ name, summary }));
  return items.map((d, i) => {
    const glob = d.name.includes('*');
    const goal = d.goal === undefined ? undefined : d.goal.startsWith('min') ? 1 : 2;
    return {
      name: glob ? undefined : d.name,
      globName: glob ? d.name : undefined,
      stepMetric: d.step_metric,
      // W&B fills in the step metric by default once one is named
      stepSync: d.step_sync ?? d.step_metric !== undefined,
      hidden: d.hidden,
      defined: !glob,
      summary: parseSummary(d.summary, Array.isArray(cfg) ? `${where}.${i}.summary` : `${where}.${d.name}`),
      goal: goal as 0 | 1 | 2 | undefined,
      overwrite: d.overwrite,
    } satisfies MetricInfo;
  });
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

/** Finds the definition that applies to a key: its own, else the first glob that matches. */
export class MetricDefinitions {
  private readonly byName = new Map<string, MetricInfo>();
  private readonly globs: Array<{ re: RegExp; def: MetricInfo }> = [];

  constructor(readonly all: MetricInfo[] = []) {
    for (const d of all) this.add(d);
  }

  add(d: MetricInfo): void {
    if (d.name) this.byName.set(d.name, d.overwrite ? d : { ...this.byName.get(d.name), ...stripUndefined(d) });
    else if (d.globName) this.globs.push({ re: globToRegExp(d.globName), def: d });
  }

  get size(): number {
    return this.byName.size + this.globs.length;
  }

  find(key: string): MetricInfo | undefined {
    return this.byName.get(key) ?? this.globs.find((g) => g.re.test(key))?.def;
  }

  /**
   * The run config's `_wandb.m` list, in the form the W&B app reads: each definition as a map
   * from proto field number to value, flag messages as the list of set field numbers, and the
   * step metric by its one-based index in the list.
   */
  toConfigList(): Array<Record<string, unknown>> {
    const list: Array<Record<string, unknown>> = [];
    const index = new Map<string, number>();
    const encode = (key: string, def: MetricInfo | undefined, glob: boolean): number => {
      const known = index.get(key);
      if (known !== undefined) return known;
      const i = list.length;
      index.set(key, i);
      const entry: Record<string, unknown> = glob ? { '2': key } : { '1': key };
      list.push(entry);
      if (def?.stepMetric) entry['5'] = encode(def.stepMetric, this.byName.get(def.stepMetric), false) + 1;
      entry['6'] = [def?.stepSync && 1, def?.hidden && 2, def?.defined && 3].filter(Boolean);
      const s = def?.summary ?? {};
      entry['7'] = [s.min && 1, s.max && 2, s.mean && 3, s.best && 4, s.last && 5, s.none && 6, s.copy && 7].filter(Boolean);
      if (def?.goal) entry['8'] = def.goal;
      return i;
    };
    for (const [name, def] of this.byName) encode(name, def, false);
    for (const { def } of this.globs) encode(def.globName as string, def, true);
    return list;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Running statistics of one metric for summaries other than "latest value". */
export class SummaryStat {
  private latest = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private total = 0;
  private count = 0;

  update(v: number): void {
    this.latest = v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.total += v;
    this.count++;
  }

  /** The summary value as JSON (`{"max": ...}`), or undefined when the metric has no summary. */
  toJson(summary: NonNullable<MetricInfo['summary']>): string | undefined {
    if (summary.none || this.count === 0) return undefined;
    const parts: string[] = [];
    if (summary.last) parts.push(`"last":${numberJson(this.latest)}`);
    if (summary.max) parts.push(`"max":${numberJson(this.max)}`);
    if (summary.min) parts.push(`"min":${numberJson(this.min)}`);
    if (summary.mean) parts.push(`"mean":${numberJson(this.total / this.count)}`);
    return parts.length ? `{${parts.join(',')}}` : numberJson(this.latest);
  }
}

/** Whether a definition changes the summary away from "the latest value". */
export function aggregates(def: MetricInfo | undefined): boolean {
  const s = def?.summary;
  return Boolean(s && (s.none || s.min || s.max || s.mean || s.last));
}
