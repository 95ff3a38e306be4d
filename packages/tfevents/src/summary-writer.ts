import { createHash } from 'node:crypto';
import { EventFileWriter, type EventFileWriterOptions, type EventFileWriterStats } from './event-file-writer.js';
import type { ImagePixels } from '@trainkit/codecs';
import { type Experiment, HParamType, type HParamValue, SessionEndStatus } from './proto/hparams.js';
import { type Event, SessionStatus, type SummaryValue } from './proto/types.js';
import { type ScalarForm, type ScalarTag, appendScalarEvent, scalarTag } from './scalar-encoder.js';
import { type HistogramOptions, experimentValue, histogramValue, imageValue, sessionEndValue, sessionStartValue, textValue } from './summaries.js';
import { encodeEvent } from './proto/event.js';

export interface SummaryWriterOptions extends EventFileWriterOptions {
  /**
   * How scalars are stored: `simple_value` (default; 42 bytes a point for a short tag, read by
   * every TensorBoard) or `tensor` (TF2's rank-0 DT_FLOAT tensor with `scalars` metadata).
   */
  scalarForm?: ScalarForm;
}

export interface HparamsOptions {
  /** Groups sessions in the HParams tab; default: SHA-256 of the hparams as sorted JSON. */
  groupName?: string;
  /** Default: when the writer was created. */
  startTimeSecs?: number;
  /**
   * Step at which metrics not logged yet (or last logged with another value) are written
   * (default: the highest step written so far).
   */
  metricsStep?: number;
  /**
   * Also write an `_hparams_/experiment` record naming these hparams and metrics, so the
   * HParams tab shows only them (default false: TensorBoard infers hparams from every session and
   * metrics from every scalar tag, which suits a logdir of runs with differing configs).
   */
  experiment?: boolean;
  /** How the session ended (default `SUCCESS`); `null` writes no end record (still running). */
  status?: keyof typeof SessionEndStatus | null;
}

/**
 * Writes TensorBoard summaries to a new event file in `logdir`. Every `add*` call only encodes
 * into memory; writing happens in the background (see EventFileWriter).
 *
 * ```ts
 * const w = new SummaryWriter('runs/exp1');
 * w.addScalar('loss', 0.25, 10);
 * await w.close();
 * ```
 */
export class SummaryWriter {
  readonly logdir: string;
  readonly file: EventFileWriter;
  private readonly scalarForm: ScalarForm;
  private readonly scalarTags = new Map<string, ScalarTag>();
  private readonly createdSecs = Date.now() / 1000;
  private readonly oneTag: ScalarTag[] = [undefined as unknown as ScalarTag];
  private readonly oneValue: number[] = [0];
  /** Highest step written so far. */
  maxStep = 0;

  constructor(logdir: string, opts: SummaryWriterOptions = {}) {
    this.logdir = logdir;
    this.scalarForm = opts.scalarForm ?? 'simple_value';
    this.file = new EventFileWriter(logdir, opts);
  }

  /** Path of the event file. */
  get path(): string {
    return this.file.path;
  }

  get stats(): Readonly<EventFileWriterStats> {
    return this.file.stats;
  }

  private tag(name: string): ScalarTag {
    let t = this.scalarTags.get(name);
    if (!t) {
      if (typeof name !== 'string' || name === '') throw new TypeError(`scalar tag must be a non-empty string, got ${JSON.stringify(name)}`);
      t = scalarTag(name);
      this.scalarTags.set(name, t);
    }
    return t;
  }

  private noteStep(step: number): void {
    if (!Number.isSafeInteger(step)) throw new TypeError(`step must be an integer, got ${step}`);
    if (step > this.maxStep) this.maxStep = step;
  }

  /** One scalar point. Stored as float32, as TensorBoard stores every scalar. */
  addScalar(tag: string, value: number, step = 0, wallTime = Date.now() / 1000): void {
    if (typeof value !== 'number') throw new TypeError(`scalar "${tag}" must be a number, got ${typeof value}`);
    this.noteStep(step);
    const t = this.tag(tag);
    this.oneTag[0] = t;
    this.oneValue[0] = value;
    appendScalarEvent(this.file, this.oneTag, this.oneValue, step, wallTime, this.scalarForm);
    t.lastStep = step;
    t.lastValue = value;
    t.written = true;
  }

  /** Several scalars at one step, in one event (one record instead of one per value). */
  addScalars(scalars: Record<string, number>, step = 0, wallTime = Date.now() / 1000): void {
    this.noteStep(step);
    const tags: ScalarTag[] = [];
    const values: number[] = [];
    for (const name of Object.keys(scalars)) {
      const value = scalars[name];
      if (typeof value !== 'number') throw new TypeError(`scalar "${name}" must be a number, got ${typeof value}`);
      tags.push(this.tag(name));
      values.push(value);
    }
    if (tags.length === 0) return;
    appendScalarEvent(this.file, tags, values, step, wallTime, this.scalarForm);
    for (let i = 0; i < tags.length; i++) {
      tags[i].lastStep = step;
      tags[i].lastValue = values[i];
      tags[i].written = true;
    }
  }

  /** An 8-bit gray / gray+alpha / RGB / RGBA image of any size, PNG-encoded. */
  addImage(tag: string, image: ImagePixels, step = 0, wallTime = Date.now() / 1000): void {
    this.addSummary([imageValue(tag, image)], step, wallTime);
  }

  /** A histogram of `values` (see HistogramOptions for the two bucket schemes). */
  addHistogram(tag: string, values: ArrayLike<number>, step = 0, opts: HistogramOptions = {}, wallTime = Date.now() / 1000): void {
    this.addSummary([histogramValue(tag, values, opts)], step, wallTime);
  }

  /** Markdown text for the Text tab; an array renders as a list, a 2-D array as a table. */
  addText(tag: string, text: string | string[] | string[][], step = 0, wallTime = Date.now() / 1000): void {
    this.addSummary([textValue(tag, text)], step, wallTime);
  }

  /**
   * Hyper-parameters of this run and its final metrics, for the HParams tab: a session start
   * record, the metrics as scalars (those whose last logged value differs), and a session end
   * record. TensorBoard shows the last value of each scalar tag of the run as its metric.
   */
  addHparams(hparams: Record<string, HParamValue>, metrics: Record<string, number> = {}, opts: HparamsOptions = {}): void {
    const wallTime = Date.now() / 1000;
    if (opts.experiment) this.addExperiment(experimentFor(hparams, Object.keys(metrics), this.createdSecs));
    const groupName = opts.groupName ?? createHash('sha256').update(sortedJson(hparams)).digest('hex');
    this.addSummary([sessionStartValue({ hparams, groupName, startTimeSecs: opts.startTimeSecs ?? this.createdSecs })], 0, wallTime);
    const step = opts.metricsStep ?? this.maxStep;
    for (const [name, value] of Object.entries(metrics)) {
      const t = this.scalarTags.get(name);
      if (!t?.written) this.addScalar(name, value, step, wallTime);
      else if (Math.fround(t.lastValue) !== Math.fround(value)) {
        // never at or before the tag's last step: that would evict the later points
        this.addScalar(name, value, Math.max(step, t.lastStep + 1), wallTime);
      }
    }
    if (opts.status !== null) this.endSession(opts.status ?? 'SUCCESS');
  }

  /** Writes the HParams session end record (`addHparams` does it unless told not to). */
  endSession(status: keyof typeof SessionEndStatus = 'SUCCESS', wallTime = Date.now() / 1000): void {
    this.addSummary([sessionEndValue({ status: SessionEndStatus[status], endTimeSecs: wallTime })], 0, wallTime);
  }

  /** Declares the hparams and metrics of an experiment (normally once, in the top-level run). */
  addExperiment(experiment: Experiment, wallTime = Date.now() / 1000): void {
    this.addSummary([experimentValue(experiment)], 0, wallTime);
  }

  /**
   * Supersedes everything this run directory holds at `step` or later: what an interrupted run
   * logged past the checkpoint a resumed run starts from. Call it before logging `step` again.
   *
   * TensorBoard's Python loader drops all values at steps >= `step` when it meets a SessionLog
   * START (file version 2), but takes the first START of a run as the session's beginning and
   * purges nothing; two are written so the purge happens whether or not an earlier writer left
   * one. The Rust loader ignores SessionLog and replaces, per tag, every value at or after the step
   * of each new value, which gives the same picture once the resumed run logs the tag again.
   */
  purgeFrom(step: number, wallTime = Date.now() / 1000): void {
    if (!Number.isSafeInteger(step)) throw new TypeError(`step must be an integer, got ${step}`);
    for (let i = 0; i < 2; i++) this.writeEvent({ wallTime, step, sessionLog: { status: SessionStatus.START } });
    for (const t of this.scalarTags.values()) if (t.lastStep >= step) t.written = false;
  }

  /** Any summary values at one step. */
  addSummary(values: SummaryValue[], step = 0, wallTime = Date.now() / 1000): void {
    this.noteStep(step);
    this.writeEvent({ wallTime, step, summary: { value: values } });
  }

  /** Any event (wall time and step included). */
  writeEvent(event: Event): void {
    this.file.writeSerializedEvent(encodeEvent(event));
  }

  /** Resolves once everything added so far is in the file. */
  flush(): Promise<void> {
    return this.file.flush();
  }

  /** Writes everything added so far before returning (blocks the thread). */
  flushSync(): void {
    this.file.flushSync();
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

function experimentFor(hparams: Record<string, HParamValue>, metricTags: string[], createdSecs: number): Experiment {
  const typeOf = (v: HParamValue) =>
    typeof v === 'number' ? HParamType.FLOAT64 : typeof v === 'string' ? HParamType.STRING : typeof v === 'boolean' ? HParamType.BOOL : HParamType.UNSET;
  return {
    timeCreatedSecs: createdSecs,
    hparamInfos: Object.keys(hparams)
      .sort()
      .map((name) => ({ name, type: typeOf(hparams[name]) })),
    metricInfos: metricTags.map((tag) => ({ name: { tag } })),
  };
}
