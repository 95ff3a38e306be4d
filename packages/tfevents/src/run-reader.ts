import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { type SummaryData, interpretValue } from './decode-value.js';
import { EventFileReader } from './event-reader.js';
import { isEventFileName } from './file-name.js';
import type { HistogramBucket } from './histogram.js';
import type { Experiment, SessionEndInfo, SessionStartInfo } from './proto/hparams.js';
import { type Event, SessionStatus, type SummaryMetadata } from './proto/types.js';
import type { TruncatedRecord } from './record-parser.js';

export interface Point<T> {
  step: number;
  wallTime: number;
  value: T;
}

/** Everything a run (a directory of event files, or one file) holds, as TensorBoard sees it. */
export interface RunData {
  /** Event files read, in reading order. */
  files: string[];
  scalars: Map<string, Point<number>[]>;
  images: Map<string, Point<{ width: number; height: number; images: Uint8Array[] }>[]>;
  histograms: Map<string, Point<HistogramBucket[]>[]>;
  text: Map<string, Point<{ shape: number[]; text: string[] }>[]>;
  /** Tensors of other plugins. */
  tensors: Map<string, Point<SummaryData>[]>;
  hparams: { experiment?: Experiment; sessionStartInfo?: SessionStartInfo; sessionEndInfo?: SessionEndInfo };
  /** The first metadata seen per tag (readers ignore later ones). */
  metadata: Map<string, SummaryMetadata>;
  /** Files that end inside a record (a writer still writing, or one that died). */
  truncated: Array<TruncatedRecord & { file: string }>;
}

export interface ReadRunOptions {
  /**
   * Apply TensorBoard's supersede rules (default true): a SessionLog START drops every value at
   * its step or later (Python loader, file version 2, except a run's first START); a step going
   * back drops the later values of the tags it holds (Python loader, files without a version);
   * a value drops the values of its tag at its step or later (Rust loader). With all three, the
   * result is what either loader shows: per tag, strictly increasing steps.
   */
  purge?: boolean;
}

/** Reads a run: `target` is a directory (its event files, not sub-directories) or one event file. */
export async function readRun(target: string, opts: ReadRunOptions = {}): Promise<RunData> {
  const purge = opts.purge ?? true;
  const stat = await fs.stat(target);
  const files = stat.isDirectory()
    ? (await fs.readdir(target, { withFileTypes: true }))
        .filter((d) => d.isFile() && isEventFileName(d.name))
        .map((d) => path.join(target, d.name))
        .sort()
    : [target];
  const run: RunData = {
    files,
    scalars: new Map(),
    images: new Map(),
    histograms: new Map(),
    text: new Map(),
    tensors: new Map(),
    hparams: {},
    metadata: new Map(),
    truncated: [],
  };
  const series = [run.scalars, run.images, run.histograms, run.text, run.tensors] as Array<Map<string, Point<unknown>[]>>;
  let fileVersion = 0;
  let seenStart = false;
  let mostRecentStep = Number.NEGATIVE_INFINITY;
  const dropFrom = (step: number, tags?: Iterable<string>) => {
    for (const m of series) {
      for (const tag of tags ?? m.keys()) {
        const points = m.get(tag);
        if (!points) continue;
        let keep = points.length;
        while (keep > 0 && points[keep - 1].step >= step) keep--;
        points.length = keep;
      }
    }
  };
  for (const file of files) {
    const reader = new EventFileReader(file);
    for await (const event of reader) {
      if (event.fileVersion !== undefined) {
        fileVersion = Number.parseFloat(event.fileVersion.replace(/^brain\.Event:/, '')) || 0;
        continue;
      }
      if (purge) {
        if (fileVersion >= 2) {
          if (event.sessionLog?.status === SessionStatus.START) {
            if (seenStart) dropFrom(event.step);
            seenStart = true;
          }
        } else if (event.summary && event.step < mostRecentStep) {
          dropFrom(
            event.step,
            event.summary.value.map((v) => v.tag),
          );
        }
      }
      if (event.summary) {
        mostRecentStep = event.step;
        addSummary(run, event, purge);
      }
    }
    if (reader.truncated) run.truncated.push({ ...reader.truncated, file });
  }
  return run;
}

function addSummary(run: RunData, event: Event, purge: boolean): void {
  for (const value of event.summary!.value) {
    if (value.metadata && !run.metadata.has(value.tag)) run.metadata.set(value.tag, value.metadata);
    const data = interpretValue(value, run.metadata.get(value.tag));
    const at = { step: event.step, wallTime: event.wallTime };
    switch (data.kind) {
      case 'scalar':
        push(run.scalars, value.tag, { ...at, value: data.value }, purge);
        break;
      case 'image':
        push(run.images, value.tag, { ...at, value: { width: data.width, height: data.height, images: data.images } }, purge);
        break;
      case 'histogram':
        push(run.histograms, value.tag, { ...at, value: data.buckets }, purge);
        break;
      case 'text':
        push(run.text, value.tag, { ...at, value: { shape: data.shape, text: data.text } }, purge);
        break;
      case 'hparams': {
        // the payload is in the metadata, so the first record of each hparams tag wins
        const h = data.data;
        if (h.experiment) run.hparams.experiment ??= h.experiment;
        if (h.sessionStartInfo) run.hparams.sessionStartInfo ??= h.sessionStartInfo;
        if (h.sessionEndInfo) run.hparams.sessionEndInfo ??= h.sessionEndInfo;
        break;
      }
      case 'tensor':
        push(run.tensors, value.tag, { ...at, value: data }, purge);
        break;
    }
  }
}

function push<T>(m: Map<string, Point<T>[]>, tag: string, p: Point<T>, purge: boolean): void {
  let points = m.get(tag);
  if (!points) m.set(tag, (points = []));
  if (purge) while (points.length && points[points.length - 1].step >= p.step) points.pop();
  points.push(p);
}

/** The scalar series of a run (directory or file), TensorBoard's supersede rules applied. */
export async function readScalars(target: string, opts: ReadRunOptions = {}): Promise<Record<string, Point<number>[]>> {
  return Object.fromEntries((await readRun(target, opts)).scalars);
}
