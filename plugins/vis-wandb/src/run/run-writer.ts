import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type RawImage, encodePng } from '@trainkit/core';
import { numberJson, stringifyWandb } from '../json/wandb-json.js';
import { FILE_POLICY, FILE_TYPE, type Item, type MetricInfo, type RunInfo, encodeRecord } from '../record/messages.js';
import { RecordLogWriter } from '../record/log-writer.js';
import { RowClock } from './clock.js';
import { MetricDefinitions, SummaryStat, aggregates } from './metric-defs.js';
import { type KeyEntry, RowEncoder, keyEntry } from './row-encoder.js';
import type { RunPaths } from './run-dir.js';

interface KeyInfo extends KeyEntry {
  def: MetricInfo | undefined;
  stat: SummaryStat | undefined;
}

/** What a run has written so far (for messages and tests). */
export interface WriterCounts {
  rows: number;
  lines: number;
  files: number;
}

/**
 * Writes one run into its `.wandb` record log: the run, config, every logged row (History +
 * Summary records, `_step`/`_runtime`/`_timestamp` added), media files, console lines and the exit.
 * Each call writes synchronously, so the log is the single source of truth the background sender
 * (and a later `wandb-sync`) reads; the caller's cost is the encoding plus one write.
 */
export class RunWriter {
  readonly counts: WriterCounts = { rows: 0, lines: 0, files: 0 };
  private readonly log: RecordLogWriter;
  private readonly encoder = new RowEncoder();
  private readonly keys = new Map<string, KeyInfo>();
  private readonly defs: MetricDefinitions;
  /** step metrics to fill in (`step_sync`), with their latest values */
  private readonly syncSteps = new Map<string, string | undefined>();
  private num = 0;
  private step: number;
  private readonly clock: RowClock;
  private readonly pending = new Map<string, { json: string; num: number | undefined }>();
  private readonly config = new Map<string, string>();
  private outputFd: number | undefined;
  private closed = false;
  // reused row buffers: the training path allocates nothing per row beyond the value strings
  private readonly rowKeys: KeyInfo[] = [];
  private readonly rowValues: string[] = [];
  private readonly rowAscii: boolean[] = [];
  private readonly rowNums: Array<number | undefined> = [];
  private readonly sum = { entries: [] as KeyInfo[], values: [] as string[], ascii: [] as boolean[], count: 0 };
  private readonly stepKey: KeyInfo;
  private readonly runtimeKey: KeyInfo;
  private readonly timestampKey: KeyInfo;

  constructor(
    readonly paths: RunPaths,
    run: RunInfo,
    private readonly opts: { startingStep: number; startingRuntime: number; metrics: MetricInfo[]; allowValChange: boolean; warn: (m: string) => void },
  ) {
    this.step = opts.startingStep;
    this.clock = new RowClock(opts.startingRuntime);
    this.log = RecordLogWriter.create(paths.logFile);
    this.defs = new MetricDefinitions(opts.metrics);
    this.stepKey = this.keyInfo('_step');
    this.runtimeKey = this.keyInfo('_runtime');
    this.timestampKey = this.keyInfo('_timestamp');
    for (const d of opts.metrics) if (d.stepSync && d.stepMetric) this.syncSteps.set(d.stepMetric, undefined);
    for (const item of run.config ?? []) this.config.set(item.key, item.valueJson);
    fs.writeFileSync(paths.syncStateFile, JSON.stringify({ starting_step: opts.startingStep, starting_runtime: opts.startingRuntime }));
    this.append(encodeRecord({ type: 'run', num: ++this.num, run }));
    for (const metric of opts.metrics) this.append(encodeRecord({ type: 'metric', num: ++this.num, metric }));
  }

  private append(...payloads: Buffer[]): void {
    this.log.append(...payloads);
  }

  /** Seconds since the run started (continuing a resumed run's clock). */
  runtime(): number {
    return this.clock.runtime();
  }

  get nextStep(): number {
    return this.step;
  }

  private keyInfo(key: string): KeyInfo {
    let info = this.keys.get(key);
    if (info === undefined) {
      const def = this.defs.size && !key.startsWith('_') ? this.defs.find(key) : undefined;
      info = { ...keyEntry(key), def, stat: aggregates(def) ? new SummaryStat() : undefined };
      this.keys.set(key, info);
    }
    return info;
  }

  /**
   * Logs scalars as one row (`commit`), or adds them to the row being built (`commit: false`,
   * which the next committing call or `close` writes), like `wandb.log(d, commit=...)`.
   */
  logScalars(scalars: Record<string, number>, commit: boolean): void {
    if (commit && this.pending.size === 0) {
      const keys = this.rowKeys;
      const values = this.rowValues;
      const ascii = this.rowAscii;
      const nums = this.rowNums;
      let n = 0;
      for (const key in scalars) {
        const v = scalars[key];
        const info = this.keyInfo(key);
        keys[n] = info;
        if (typeof v === 'number') {
          // values often repeat (lr, epoch): format a number only when it changed
          if (v !== info.lastNum) {
            info.lastNum = v;
            info.lastJson = numberJson(v);
          }
          values[n] = info.lastJson;
          ascii[n] = true;
          nums[n] = v;
        } else {
          values[n] = stringifyWandb(v);
          ascii[n] = false;
          nums[n] = undefined;
        }
        n++;
      }
      this.writeRow(n);
      return;
    }
    for (const key in scalars) {
      const v = scalars[key];
      this.pending.set(key, typeof v === 'number' ? { json: numberJson(v), num: v } : { json: stringifyWandb(v), num: undefined });
    }
    if (commit) this.commit();
  }

  /** Adds any JSON value (image descriptor, text) to the row being built. */
  logValue(key: string, json: string, commit: boolean): void {
    this.pending.set(key, { json, num: undefined });
    if (commit) this.commit();
  }

  /** Writes the row being built, if any. */
  commit(): void {
    if (this.pending.size === 0) return;
    let n = 0;
    for (const [key, v] of this.pending) {
      this.rowKeys[n] = this.keyInfo(key);
      this.rowValues[n] = v.json;
      this.rowAscii[n] = v.num !== undefined;
      this.rowNums[n] = v.num;
      n++;
    }
    this.pending.clear();
    this.writeRow(n);
  }

  private writeRow(n: number): void {
    if (this.closed) return;
    const keys = this.rowKeys;
    const values = this.rowValues;
    const ascii = this.rowAscii;
    if (this.syncSteps.size) n = this.fillStepMetrics(n);
    const step = this.step++;
    keys[n] = this.stepKey;
    ascii[n] = true;
    values[n++] = String(step);
    const now = Date.now();
    keys[n] = this.runtimeKey;
    ascii[n] = true;
    values[n++] = this.clock.runtimeJson(now);
    keys[n] = this.timestampKey;
    ascii[n] = true;
    values[n++] = this.clock.timestampJson(now);

    const summary = this.defs.size ? this.summaryItems(n) : undefined;
    const num = this.num + 1;
    this.num += summary && summary.count === 0 ? 1 : 2;
    this.encoder.encode(num, step, keys, values, ascii, n, summary);
    const r = this.encoder.ranges;
    this.log.appendRanges(this.encoder.buffer, r[3] > r[2] ? r : [r[0], r[1]]);
    this.counts.rows++;
  }

  /** `step_sync`: a row with a metric but without its step metric gets the step metric's last value. */
  private fillStepMetrics(n: number): number {
    const keys = this.rowKeys;
    for (let i = 0; i < n; i++) if (this.syncSteps.has(keys[i].key)) this.syncSteps.set(keys[i].key, this.rowValues[i]);
    const present = new Set(keys.slice(0, n).map((k) => k.key));
    for (let i = 0, end = n; i < end; i++) {
      const def = keys[i].def;
      const s = def?.stepSync ? def.stepMetric : undefined;
      const last = s === undefined ? undefined : this.syncSteps.get(s);
      if (s !== undefined && last !== undefined && !present.has(s)) {
        present.add(s);
        keys[n] = this.keyInfo(s);
        this.rowValues[n] = last;
        this.rowAscii[n] = false;
        this.rowNums[n] = Number(last);
        n++;
      }
    }
    return n;
  }

  /** Summary items of a row under `define_metric` rules (min/max/mean/last, none). */
  private summaryItems(n: number): typeof this.sum {
    const sum = this.sum;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const info = this.rowKeys[i];
      let json: string | undefined = this.rowValues[i];
      if (info.stat) {
        const v = this.rowNums[i];
        if (v === undefined) continue;
        info.stat.update(v);
        json = info.stat.toJson(info.def?.summary ?? {});
      }
      if (json === undefined) continue;
      sum.entries[m] = info;
      sum.values[m] = json;
      sum.ascii[m++] = false;
    }
    sum.count = m;
    return sum;
  }

  /** Encodes the image as PNG under `files/media/images/`, registers it for upload, logs its descriptor. */
  logImage(name: string, image: RawImage, commit: boolean): void {
    const png = encodePng(image);
    const sha = crypto.createHash('sha256').update(png).digest('hex');
    const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_');
    const rel = `media/images/${safe}_${this.step}_${sha.slice(0, 20)}.png`;
    const file = path.join(this.paths.filesDir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, png);
    this.append(encodeRecord({ type: 'files', num: ++this.num, files: [{ path: rel, policy: FILE_POLICY.NOW, fileType: FILE_TYPE.MEDIA }] }));
    this.counts.files++;
    const descriptor = { _type: 'image-file', path: rel, sha256: sha, size: png.length, format: 'png', width: image.width, height: image.height };
    this.logValue(name, JSON.stringify(descriptor), commit);
  }

  /** Config entries (`wandb.config.update`); a changed value needs `allow_val_change`. */
  updateConfig(values: Record<string, unknown>): void {
    const update: Item[] = [];
    for (const [key, value] of Object.entries(values)) {
      const json = stringifyWandb(value);
      const old = this.config.get(key);
      if (old === json) continue;
      if (old !== undefined && !this.opts.allowValChange) {
        this.opts.warn(`W&B config key "${key}" already has another value; kept the first one (set init_kwargs.allow_val_change to replace it)`);
        continue;
      }
      this.config.set(key, json);
      update.push({ key, valueJson: json });
    }
    if (update.length) this.append(encodeRecord({ type: 'config', num: ++this.num, update, remove: [] }));
  }

  /** Explicit summary values (final metrics), like `run.summary.update`. */
  updateSummary(values: Record<string, unknown>): void {
    const update = Object.entries(values).map(([key, v]) => ({ key, valueJson: stringifyWandb(v) }));
    if (update.length) this.append(encodeRecord({ type: 'summary', num: ++this.num, update, remove: [] }));
  }

  /** One line of terminal output (also kept in `files/output.log`). */
  output(line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    if (this.closed) return;
    const text = line.endsWith('\n') ? line : `${line}\n`;
    const now = Date.now();
    const timestamp = { seconds: Math.floor(now / 1000), nanos: (now % 1000) * 1e6 };
    this.append(encodeRecord({ type: 'output_raw', num: ++this.num, stream, timestamp, line: text }));
    this.outputFd ??= fs.openSync(path.join(this.paths.filesDir, 'output.log'), 'a');
    fs.writeSync(this.outputFd, text);
    this.counts.lines++;
  }

  /** Writes the pending row and the Exit record; nothing can be logged after it. */
  exit(exitCode: number): void {
    if (this.closed) return;
    this.commit();
    this.append(encodeRecord({ type: 'exit', num: ++this.num, exitCode, runtime: Math.floor(this.runtime()) }));
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    this.log.close();
    if (this.outputFd !== undefined) fs.closeSync(this.outputFd);
    this.outputFd = undefined;
  }
}
