import { numberJson } from '../json/wandb-json.js';
import type { Item, MetricInfo, RunInfo, WandbRecord } from '../record/messages.js';
import { MetricDefinitions } from '../run/metric-defs.js';
import { ConsoleLines } from './console-lines.js';
import { RawTree } from './raw-tree.js';

/** Lines of one file_stream file: those not yet acknowledged, addressed by their index in this log. */
export class LineQueue {
  /** lines this log has produced so far */
  total = 0;
  /** index of `lines[0]` */
  from = 0;
  readonly lines: string[] = [];
  /** only count further lines (to report how many are left, without holding them) */
  countOnly = false;

  constructor(private readonly skip: number) {
    this.from = skip;
  }

  push(line: string): void {
    // lines the server already acknowledged are only counted
    if (this.total++ < this.skip || this.countOnly) return;
    this.lines.push(line);
  }

  /** Drops the first `n` pending lines (acknowledged). */
  ack(n: number): void {
    this.lines.splice(0, n);
    this.from += n;
  }

  get pending(): number {
    return this.lines.length;
  }
}

function itemPath(it: Item): string[] {
  return it.nestedKey?.length ? it.nestedKey : [it.key];
}

const quotedKeys = new Map<string, string>();

/** `JSON.stringify(key)`, remembered: rows repeat the same keys. */
function quoted(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, q);
  }
  return q;
}

/** A history row as one JSON line; items with nested keys become nested objects. */
export function historyLine(items: Item[]): string {
  if (items.some((it) => it.nestedKey?.length)) {
    const tree = new RawTree();
    for (const it of items) tree.set(itemPath(it), it.valueJson);
    return tree.toJson();
  }
  let line = '{';
  for (let i = 0; i < items.length; i++) line += `${i ? ',' : ''}${quoted(items[i].key)}:${items[i].valueJson}`;
  return `${line}}`;
}

/**
 * Everything the server must get for one run, folded from the record log: pending history and
 * console lines, the current summary and config, files to upload and the exit.
 */
export class RunState {
  run: RunInfo | undefined;
  readonly history: LineQueue;
  readonly output: LineQueue;
  readonly summary = new RawTree();
  readonly config = new RawTree();
  readonly metrics = new MetricDefinitions();
  /** bumped on every change, so a request knows whether what it sent is still current */
  summaryVersion = 0;
  configVersion = 0;
  /** files named by Files records, in order, each once */
  readonly files: string[] = [];
  private readonly fileSet = new Set<string>();
  exit: { exitCode: number; runtime: number } | undefined;
  preempting = false;
  /** largest `_runtime` seen (seconds) */
  runtime = 0;
  records = 0;
  private readonly console = new ConsoleLines();
  private readonly consoleOut: string[] = [];

  constructor(skip: { history: number; output: number }) {
    this.history = new LineQueue(skip.history);
    this.output = new LineQueue(skip.output);
  }

  apply(rec: WandbRecord): void {
    this.records++;
    switch (rec.type) {
      case 'run':
        // the first Run record defines the run; later ones (SDK updates) only add config
        if (!this.run) {
          this.run = rec.run;
          for (const it of rec.run.summary ?? []) this.summary.set(itemPath(it), it.valueJson);
          if (rec.run.summary?.length) this.summaryVersion++;
          if (rec.run.runtime) this.runtime = Math.max(this.runtime, rec.run.runtime);
        }
        this.applyConfig(rec.run.config ?? [], []);
        break;
      case 'history': {
        this.history.push(historyLine(rec.items));
        const rt = rec.items.find((it) => it.key === '_runtime');
        if (rt) {
          const v = Number(rt.valueJson);
          if (v > this.runtime) this.runtime = v;
        }
        break;
      }
      case 'summary':
        for (const it of rec.update) this.summary.set(itemPath(it), it.valueJson);
        for (const it of rec.remove) this.summary.remove(itemPath(it));
        this.summaryVersion++;
        break;
      case 'config':
        this.applyConfig(rec.update, rec.remove);
        break;
      case 'metric':
        this.metrics.add(rec.metric as MetricInfo);
        this.configVersion++;
        break;
      case 'files':
        for (const f of rec.files) {
          if (this.fileSet.has(f.path)) continue;
          this.fileSet.add(f.path);
          this.files.push(f.path);
        }
        break;
      case 'output_raw':
        this.console.push(rec.stream, rec.line, rec.timestamp, this.consoleOut);
        this.drainConsole();
        break;
      case 'exit':
        this.exit = { exitCode: rec.exitCode, runtime: rec.runtime };
        if (rec.runtime > this.runtime) this.runtime = rec.runtime;
        this.endConsole();
        break;
      case 'preempting':
        this.preempting = true;
        break;
    }
  }

  /** Console text without a final newline becomes a line at the end of the run. */
  endConsole(): void {
    this.console.flush(this.consoleOut);
    this.drainConsole();
  }

  private drainConsole(): void {
    for (const line of this.consoleOut) this.output.push(line);
    this.consoleOut.length = 0;
  }

  private applyConfig(update: Item[], remove: Item[]): void {
    if (!update.length && !remove.length) return;
    for (const it of update) this.config.set(itemPath(it), it.valueJson);
    for (const it of remove) this.config.remove(itemPath(it));
    this.configVersion++;
  }

  /** The whole summary, with `_wandb.runtime` (whole seconds) as the SDK reports it. */
  summaryJson(): string {
    return this.summary.toJson([['_wandb', `{"runtime":${numberJson(Math.floor(this.runtime))}}`]]);
  }

  /** The config as UpsertBucket takes it: `{key: {value: ...}}`, plus W&B's `_wandb` bookkeeping. */
  configJson(): string {
    const parts = this.config.entries().map(([k, v]) => `${JSON.stringify(k)}:{"value":${v}}`);
    if (!this.config.has('_wandb')) {
      // `t` marks the run as started for the SDK's resume logic; `m` carries define_metric
      const m = this.metrics.size ? `,"m":${JSON.stringify(this.metrics.toConfigList())}` : '';
      parts.push(`"_wandb":{"value":{"t":{}${m}}}`);
    }
    return `{${parts.join(',')}}`;
  }
}
