import { ProtoReader, ProtoWriter, WIRE } from '@trainkit/codecs';

/**
 * The `wandb_internal.Record` messages trainkit writes and reads, with the field numbers of
 * W&B's offline format (spec §9.2). Records of other kinds are kept as `other` so a reader can
 * skip them (telemetry, stats, environment written by the Python SDK).
 */

/** A history, summary or config entry: `key` (or a `nestedKey` path) and its value as JSON. */
export interface Item {
  key: string;
  nestedKey?: string[];
  valueJson: string;
}

export interface Timestamp {
  seconds: number;
  nanos: number;
}

export interface RunInfo {
  runId: string;
  entity?: string;
  project?: string;
  config?: Item[];
  summary?: Item[];
  runGroup?: string;
  jobType?: string;
  displayName?: string;
  notes?: string;
  tags?: string[];
  sweepId?: string;
  host?: string;
  startingStep?: number;
  storageId?: string;
  startTime?: Timestamp;
  resumed?: boolean;
  runtime?: number;
  git?: { remoteUrl?: string; commit?: string };
}

export interface MetricInfo {
  name?: string;
  globName?: string;
  stepMetric?: string;
  stepSync?: boolean;
  hidden?: boolean;
  /** explicitly defined (not expanded from a glob) */
  defined?: boolean;
  summary?: { min?: boolean; max?: boolean; mean?: boolean; best?: boolean; last?: boolean; none?: boolean; copy?: boolean };
  goal?: 0 | 1 | 2;
  overwrite?: boolean;
}

/** FilesItem.policy / FilesItem.type */
export const FILE_POLICY = { NOW: 0, END: 1, LIVE: 2 } as const;
export const FILE_TYPE = { OTHER: 0, WANDB: 1, MEDIA: 2, ARTIFACT: 3 } as const;

export type WandbRecord = { num?: number } & (
  | { type: 'run'; run: RunInfo }
  | { type: 'history'; items: Item[]; step?: number }
  | { type: 'summary'; update: Item[]; remove: Item[] }
  | { type: 'config'; update: Item[]; remove: Item[] }
  | { type: 'files'; files: Array<{ path: string; policy: number; fileType: number }> }
  | { type: 'output_raw'; stream: 'stdout' | 'stderr'; timestamp?: Timestamp; line: string }
  | { type: 'metric'; metric: MetricInfo }
  | { type: 'exit'; exitCode: number; runtime: number }
  | { type: 'preempting' }
  | { type: 'other'; field: number }
);

// Record oneof field numbers
export const RECORD_FIELD = {
  num: 1,
  history: 2,
  summary: 3,
  config: 5,
  files: 6,
  metric: 12,
  output_raw: 13,
  run: 17,
  exit: 18,
  preempting: 23,
} as const;

function writeItem(w: ProtoWriter, field: number, item: Item): void {
  w.message(field, (m) => {
    m.stringIfSet(1, item.nestedKey?.length ? undefined : item.key);
    for (const k of item.nestedKey ?? []) m.stringIfSet(2, k);
    m.stringIfSet(16, item.valueJson);
  });
}

function writeTimestamp(w: ProtoWriter, field: number, t: Timestamp | undefined): void {
  if (t) w.message(field, (m) => m.varintIfSet(1, t.seconds).varintIfSet(2, t.nanos));
}

function writeUpdates(w: ProtoWriter, update: Item[], remove: Item[] = []): void {
  for (const it of update) writeItem(w, 1, it);
  for (const it of remove) writeItem(w, 2, it);
}

/** Serializes one record (the payload of one log entry). */
export function encodeRecord(rec: WandbRecord): Buffer {
  const w = new ProtoWriter();
  w.varintIfSet(RECORD_FIELD.num, rec.num);
  switch (rec.type) {
    case 'history':
      w.message(RECORD_FIELD.history, (h) => {
        for (const it of rec.items) writeItem(h, 1, it);
        if (rec.step !== undefined) h.message(2, (s) => s.varintIfSet(1, rec.step));
      });
      break;
    case 'summary':
      w.message(RECORD_FIELD.summary, (s) => writeUpdates(s, rec.update, rec.remove));
      break;
    case 'config':
      w.message(RECORD_FIELD.config, (s) => writeUpdates(s, rec.update, rec.remove));
      break;
    case 'files':
      w.message(RECORD_FIELD.files, (f) => {
        for (const file of rec.files) f.message(1, (i) => i.stringIfSet(1, file.path).varintIfSet(2, file.policy).varintIfSet(3, file.fileType));
      });
      break;
    case 'output_raw':
      w.message(RECORD_FIELD.output_raw, (o) => {
        o.varintIfSet(1, rec.stream === 'stdout' ? 1 : 0);
        writeTimestamp(o, 2, rec.timestamp);
        o.stringIfSet(3, rec.line);
      });
      break;
    case 'metric':
      w.message(RECORD_FIELD.metric, (m) => encodeMetric(m, rec.metric));
      break;
    case 'exit':
      w.message(RECORD_FIELD.exit, (e) => e.varintIfSet(1, rec.exitCode).varintIfSet(2, rec.runtime));
      break;
    case 'preempting':
      w.message(RECORD_FIELD.preempting, () => {});
      break;
    case 'run':
      w.message(RECORD_FIELD.run, (r) => encodeRun(r, rec.run));
      break;
    case 'other':
      throw new Error('cannot encode an unknown record');
  }
  return w.finish();
}

function encodeRun(w: ProtoWriter, run: RunInfo): void {
  w.stringIfSet(1, run.runId).stringIfSet(2, run.entity).stringIfSet(3, run.project);
  if (run.config?.length) w.message(4, (c) => writeUpdates(c, run.config ?? []));
  if (run.summary?.length) w.message(5, (s) => writeUpdates(s, run.summary ?? []));
  w.stringIfSet(6, run.runGroup).stringIfSet(7, run.jobType).stringIfSet(8, run.displayName).stringIfSet(9, run.notes);
  for (const tag of run.tags ?? []) w.string(10, tag);
  w.stringIfSet(12, run.sweepId).stringIfSet(13, run.host).varintIfSet(14, run.startingStep).stringIfSet(16, run.storageId);
  writeTimestamp(w, 17, run.startTime);
  w.varintIfSet(18, run.resumed).varintIfSet(20, run.runtime);
  if (run.git && (run.git.remoteUrl || run.git.commit)) w.message(21, (g) => g.stringIfSet(1, run.git?.remoteUrl).stringIfSet(2, run.git?.commit));
}

function encodeMetric(w: ProtoWriter, m: MetricInfo): void {
  w.stringIfSet(1, m.name).stringIfSet(2, m.globName).stringIfSet(4, m.stepMetric);
  w.message(6, (o) => o.varintIfSet(1, m.stepSync).varintIfSet(2, m.hidden).varintIfSet(3, m.defined));
  if (m.summary) {
    const s = m.summary;
    w.message(7, (o) =>
      o
        .varintIfSet(1, s.min)
        .varintIfSet(2, s.max)
        .varintIfSet(3, s.mean)
        .varintIfSet(4, s.best)
        .varintIfSet(5, s.last)
        .varintIfSet(6, s.none)
        .varintIfSet(7, s.copy),
    );
  }
  w.varintIfSet(8, m.goal);
  if (m.overwrite) w.message(9, (c) => c.bool(1, true));
}

// ---- decoding -------------------------------------------------------------------------------
// Each loop reads the fields it knows and skips the others (newer SDKs add fields).

function decodeItem(r: ProtoReader): Item {
  const item: Item = { key: '', valueJson: '' };
  while (r.next()) {
    if (r.field === 1) item.key = r.string();
    else if (r.field === 2) (item.nestedKey ??= []).push(r.string());
    else if (r.field === 16) item.valueJson = r.string();
    else r.skip();
  }
  return item;
}

function decodeUpdates(r: ProtoReader): { update: Item[]; remove: Item[] } {
  const update: Item[] = [];
  const remove: Item[] = [];
  while (r.next()) {
    if (r.field === 1) update.push(decodeItem(r.message()));
    else if (r.field === 2) remove.push(decodeItem(r.message()));
    else r.skip();
  }
  return { update, remove };
}

function decodeTimestamp(r: ProtoReader): Timestamp {
  const t = { seconds: 0, nanos: 0 };
  while (r.next()) {
    if (r.field === 1) t.seconds = r.int64();
    else if (r.field === 2) t.nanos = r.int64();
    else r.skip();
  }
  return t;
}

function decodeGit(r: ProtoReader): { remoteUrl?: string; commit?: string } {
  const git: { remoteUrl?: string; commit?: string } = {};
  while (r.next()) {
    if (r.field === 1) git.remoteUrl = r.string();
    else if (r.field === 2) git.commit = r.string();
    else r.skip();
  }
  return git;
}

function decodeRun(r: ProtoReader): RunInfo {
  const run: RunInfo = { runId: '' };
  while (r.next()) {
    switch (r.field) {
      case 1:
        run.runId = r.string();
        break;
      case 2:
        run.entity = r.string();
        break;
      case 3:
        run.project = r.string();
        break;
      case 4:
        run.config = decodeUpdates(r.message()).update;
        break;
      case 5:
        run.summary = decodeUpdates(r.message()).update;
        break;
      case 6:
        run.runGroup = r.string();
        break;
      case 7:
        run.jobType = r.string();
        break;
      case 8:
        run.displayName = r.string();
        break;
      case 9:
        run.notes = r.string();
        break;
      case 10:
        (run.tags ??= []).push(r.string());
        break;
      case 12:
        run.sweepId = r.string();
        break;
      case 13:
        run.host = r.string();
        break;
      case 14:
        run.startingStep = r.int64();
        break;
      case 16:
        run.storageId = r.string();
        break;
      case 17:
        run.startTime = decodeTimestamp(r.message());
        break;
      case 18:
        run.resumed = r.bool();
        break;
      case 20:
        run.runtime = r.int64();
        break;
      case 21:
        run.git = decodeGit(r.message());
        break;
      default:
        r.skip();
    }
  }
  return run;
}

/** The numbers of the bool fields that are true. */
function decodeBools(r: ProtoReader): Set<number> {
  const set = new Set<number>();
  while (r.next()) {
    if (r.wire === WIRE.VARINT) {
      if (r.varint()) set.add(r.field);
    } else r.skip();
  }
  return set;
}

function decodeMetric(r: ProtoReader): MetricInfo {
  const m: MetricInfo = {};
  while (r.next()) {
    if (r.field === 1) m.name = r.string();
    else if (r.field === 2) m.globName = r.string();
    else if (r.field === 4) m.stepMetric = r.string();
    else if (r.field === 6) {
      const o = decodeBools(r.message());
      m.stepSync = o.has(1);
      m.hidden = o.has(2);
      m.defined = o.has(3);
    } else if (r.field === 7) {
      const s = decodeBools(r.message());
      m.summary = { min: s.has(1), max: s.has(2), mean: s.has(3), best: s.has(4), last: s.has(5), none: s.has(6), copy: s.has(7) };
    } else if (r.field === 8) m.goal = r.int64() as 0 | 1 | 2;
    else if (r.field === 9) m.overwrite = decodeBools(r.message()).has(1);
    else r.skip();
  }
  return m;
}

function decodeHistory(r: ProtoReader): WandbRecord {
  const items: Item[] = [];
  let step: number | undefined;
  while (r.next()) {
    if (r.field === 1) items.push(decodeItem(r.message()));
    else if (r.field === 2) {
      step = 0;
      const s = r.message();
      while (s.next()) {
        if (s.field === 1) step = s.int64();
        else s.skip();
      }
    } else r.skip();
  }
  return { type: 'history', items, step };
}

function decodeFiles(r: ProtoReader): WandbRecord {
  const files: Array<{ path: string; policy: number; fileType: number }> = [];
  while (r.next()) {
    if (r.field !== 1) {
      r.skip();
      continue;
    }
    const file = { path: '', policy: 0, fileType: 0 };
    const g = r.message();
    while (g.next()) {
      if (g.field === 1) file.path = g.string();
      else if (g.field === 2) file.policy = g.int64();
      else if (g.field === 3) file.fileType = g.int64();
      else g.skip();
    }
    files.push(file);
  }
  return { type: 'files', files };
}

function decodeOutput(r: ProtoReader): WandbRecord {
  let stream: 'stdout' | 'stderr' = 'stderr';
  let timestamp: Timestamp | undefined;
  let line = '';
  while (r.next()) {
    if (r.field === 1) stream = r.int64() === 1 ? 'stdout' : 'stderr';
    else if (r.field === 2) timestamp = decodeTimestamp(r.message());
    else if (r.field === 3) line = r.string();
    else r.skip();
  }
  return { type: 'output_raw', stream, timestamp, line };
}

function decodeExit(r: ProtoReader): WandbRecord {
  let exitCode = 0;
  let runtime = 0;
  while (r.next()) {
    if (r.field === 1) exitCode = r.int64();
    else if (r.field === 2) runtime = r.int64();
    else r.skip();
  }
  return { type: 'exit', exitCode, runtime };
}

/** Parses one record payload. Unknown record kinds come back as `other`. */
export function decodeRecord(buf: Uint8Array): WandbRecord {
  const r = new ProtoReader(buf);
  let num: number | undefined;
  let rec: WandbRecord | undefined;
  while (r.next()) {
    switch (r.field) {
      case RECORD_FIELD.num:
        num = r.int64();
        break;
      case RECORD_FIELD.history:
        rec = decodeHistory(r.message());
        break;
      case RECORD_FIELD.summary:
        rec = { type: 'summary', ...decodeUpdates(r.message()) };
        break;
      case RECORD_FIELD.config:
        rec = { type: 'config', ...decodeUpdates(r.message()) };
        break;
      case RECORD_FIELD.files:
        rec = decodeFiles(r.message());
        break;
      case RECORD_FIELD.output_raw:
        rec = decodeOutput(r.message());
        break;
      case RECORD_FIELD.metric:
        rec = { type: 'metric', metric: decodeMetric(r.message()) };
        break;
      case RECORD_FIELD.exit:
        rec = decodeExit(r.message());
        break;
      case RECORD_FIELD.preempting:
        r.skip();
        rec = { type: 'preempting' };
        break;
      case RECORD_FIELD.run:
        rec = { type: 'run', run: decodeRun(r.message()) };
        break;
      default:
        // control (16), uuid (19) and _info (200) ride along with any record; others are kinds we skip
        if (r.wire === WIRE.LEN && r.field !== 16 && r.field !== 19 && r.field !== 200) rec ??= { type: 'other', field: r.field };
        r.skip();
    }
  }
  rec ??= { type: 'other', field: 0 };
  rec.num = num;
  return rec;
}
