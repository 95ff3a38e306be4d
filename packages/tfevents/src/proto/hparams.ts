import { ProtoReader, ProtoWriter, WIRE } from '@trainkit/codecs';

/*
 * The HParams plugin's payload (tensorboard/plugins/hparams/{api,plugin_data}.proto). It travels
 * in `SummaryMetadata.plugin_data.content` of three special tags, not in the tensor.
 */

/** A hyper-parameter value: google.protobuf.Value restricted to what JSON can say. */
export type HParamValue = number | string | boolean | null | HParamValue[];

export const HParamType = { UNSET: 0, STRING: 1, BOOL: 2, FLOAT64: 3 } as const;
export const SessionEndStatus = { UNKNOWN: 0, SUCCESS: 1, FAILURE: 2, RUNNING: 3 } as const;
export const DatasetType = { UNKNOWN: 0, TRAINING: 1, VALIDATION: 2 } as const;

export interface SessionStartInfo {
  hparams: Record<string, HParamValue>;
  modelUri?: string;
  monitorUrl?: string;
  groupName?: string;
  startTimeSecs?: number;
}

export interface SessionEndInfo {
  status: number;
  endTimeSecs?: number;
}

export interface HParamInfo {
  name: string;
  displayName?: string;
  description?: string;
  type?: number;
  domainDiscrete?: HParamValue[];
  domainInterval?: { min: number; max: number };
  differs?: boolean;
}

export interface MetricInfo {
  name: { group?: string; tag: string };
  displayName?: string;
  description?: string;
  datasetType?: number;
}

export interface Experiment {
  name?: string;
  description?: string;
  user?: string;
  timeCreatedSecs?: number;
  hparamInfos: HParamInfo[];
  metricInfos: MetricInfo[];
}

export interface HParamsPluginData {
  /** Must be 0 for the readers of today. */
  version: number;
  experiment?: Experiment;
  sessionStartInfo?: SessionStartInfo;
  sessionEndInfo?: SessionEndInfo;
}

function writeValue(w: ProtoWriter, v: HParamValue): void {
  // oneof members are written even when they hold the default: presence is the information
  if (v === null) w.uint(1, 0);
  else if (typeof v === 'number') w.double(2, v);
  else if (typeof v === 'string') w.string(3, v);
  else if (typeof v === 'boolean') w.bool(4, v);
  else w.message(6, (l) => writeList(l, v));
}

function writeList(w: ProtoWriter, values: HParamValue[]): void {
  for (const v of values) w.message(1, (m) => writeValue(m, v));
}

export function encodeHParamsPluginData(d: HParamsPluginData): Uint8Array {
  const w = new ProtoWriter(128);
  if (d.version) w.int64(1, d.version);
  if (d.experiment) w.message(2, (m) => writeExperiment(m, d.experiment!));
  else if (d.sessionStartInfo) w.message(3, (m) => writeSessionStart(m, d.sessionStartInfo!));
  else if (d.sessionEndInfo)
    w.message(4, (m) => {
      if (d.sessionEndInfo!.status) m.uint(1, d.sessionEndInfo!.status);
      if (d.sessionEndInfo!.endTimeSecs) m.double(2, d.sessionEndInfo!.endTimeSecs);
    });
  // a copy that owns its memory (a Buffer's slice() would be a view)
  return new Uint8Array(w.finish());
}

function writeSessionStart(w: ProtoWriter, s: SessionStartInfo): void {
  // map entries in key order, so the same hparams always give the same bytes
  for (const key of Object.keys(s.hparams).sort())
    w.message(1, (e) => {
      e.string(1, key);
      e.message(2, (v) => writeValue(v, s.hparams[key]));
    });
  if (s.modelUri) w.string(2, s.modelUri);
  if (s.monitorUrl) w.string(3, s.monitorUrl);
  if (s.groupName) w.string(4, s.groupName);
  if (s.startTimeSecs) w.double(5, s.startTimeSecs);
}

function writeExperiment(w: ProtoWriter, x: Experiment): void {
  if (x.description) w.string(1, x.description);
  if (x.user) w.string(2, x.user);
  if (x.timeCreatedSecs) w.double(3, x.timeCreatedSecs);
  for (const h of x.hparamInfos)
    w.message(4, (m) => {
      m.string(1, h.name);
      if (h.displayName) m.string(2, h.displayName);
      if (h.description) m.string(3, h.description);
      if (h.type) m.uint(4, h.type);
      if (h.domainDiscrete) m.message(5, (l) => writeList(l, h.domainDiscrete!));
      else if (h.domainInterval)
        m.message(6, (i) => {
          if (h.domainInterval!.min) i.double(1, h.domainInterval!.min);
          if (h.domainInterval!.max) i.double(2, h.domainInterval!.max);
        });
      if (h.differs) m.bool(7, true);
    });
  for (const mi of x.metricInfos)
    w.message(5, (m) => {
      m.message(1, (n) => {
        if (mi.name.group) n.string(1, mi.name.group);
        if (mi.name.tag) n.string(2, mi.name.tag);
      });
      if (mi.displayName) m.string(3, mi.displayName);
      if (mi.description) m.string(4, mi.description);
      if (mi.datasetType) m.uint(5, mi.datasetType);
    });
  if (x.name) w.string(6, x.name);
}

function readValue(r: ProtoReader): HParamValue {
  let v: HParamValue = null;
  while (r.next()) {
    if (r.field === 1) {
      r.varint();
      v = null;
    } else if (r.field === 2) v = r.double();
    else if (r.field === 3) v = r.string();
    else if (r.field === 4) v = r.bool();
    else if (r.field === 6) v = readList(r.message());
    else r.skip();
  }
  return v;
}

function readList(r: ProtoReader): HParamValue[] {
  const out: HParamValue[] = [];
  while (r.next()) {
    if (r.field === 1 && r.wire === WIRE.LEN) out.push(readValue(r.message()));
    else r.skip();
  }
  return out;
}

export function decodeHParamsPluginData(bytes: Uint8Array): HParamsPluginData {
  const r = new ProtoReader(bytes);
  const d: HParamsPluginData = { version: 0 };
  while (r.next()) {
    if (r.field === 1) d.version = r.int64();
    else if (r.field === 2) d.experiment = readExperiment(r.message());
    else if (r.field === 3) d.sessionStartInfo = readSessionStart(r.message());
    else if (r.field === 4) {
      const e: SessionEndInfo = { status: 0 };
      for (const m = r.message(); m.next(); ) {
        if (m.field === 1) e.status = m.varint();
        else if (m.field === 2) e.endTimeSecs = m.double();
        else m.skip();
      }
      d.sessionEndInfo = e;
    } else r.skip();
  }
  return d;
}

function readSessionStart(r: ProtoReader): SessionStartInfo {
  const s: SessionStartInfo = { hparams: {} };
  while (r.next()) {
    if (r.field === 1) {
      let key = '';
      let value: HParamValue = null;
      for (const e = r.message(); e.next(); ) {
        if (e.field === 1) key = e.string();
        else if (e.field === 2) value = readValue(e.message());
        else e.skip();
      }
      s.hparams[key] = value;
    } else if (r.field === 2) s.modelUri = r.string();
    else if (r.field === 3) s.monitorUrl = r.string();
    else if (r.field === 4) s.groupName = r.string();
    else if (r.field === 5) s.startTimeSecs = r.double();
    else r.skip();
  }
  return s;
}

function readExperiment(r: ProtoReader): Experiment {
  const x: Experiment = { hparamInfos: [], metricInfos: [] };
  while (r.next()) {
    switch (r.field) {
      case 1:
        x.description = r.string();
        break;
      case 2:
        x.user = r.string();
        break;
      case 3:
        x.timeCreatedSecs = r.double();
        break;
      case 4: {
        const h: HParamInfo = { name: '' };
        for (const m = r.message(); m.next(); ) {
          if (m.field === 1) h.name = m.string();
          else if (m.field === 2) h.displayName = m.string();
          else if (m.field === 3) h.description = m.string();
          else if (m.field === 4) h.type = m.varint();
          else if (m.field === 5) h.domainDiscrete = readList(m.message());
          else if (m.field === 6) {
            const iv = { min: 0, max: 0 };
            for (const i = m.message(); i.next(); ) {
              if (i.field === 1) iv.min = i.double();
              else if (i.field === 2) iv.max = i.double();
              else i.skip();
            }
            h.domainInterval = iv;
          } else if (m.field === 7) h.differs = m.bool();
          else m.skip();
        }
        x.hparamInfos.push(h);
        break;
      }
      case 5: {
        const mi: MetricInfo = { name: { tag: '' } };
        for (const m = r.message(); m.next(); ) {
          if (m.field === 1) {
            for (const n = m.message(); n.next(); ) {
              if (n.field === 1) mi.name.group = n.string();
              else if (n.field === 2) mi.name.tag = n.string();
              else n.skip();
            }
          } else if (m.field === 3) mi.displayName = m.string();
          else if (m.field === 4) mi.description = m.string();
          else if (m.field === 5) mi.datasetType = m.varint();
          else m.skip();
        }
        x.metricInfos.push(mi);
        break;
      }
      case 6:
        x.name = r.string();
        break;
      default:
        r.skip();
    }
  }
  return x;
}
