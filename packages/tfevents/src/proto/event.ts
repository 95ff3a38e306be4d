import { ProtoReader, ProtoWriter } from '@trainkit/codecs';
import { readSummary, writeSummary } from './summary.js';
import type { Event, SessionLog } from './types.js';

/* Field numbers from TensorBoard's event.proto. */

export function writeEvent(w: ProtoWriter, e: Event): void {
  if (e.wallTime) w.double(1, e.wallTime);
  if (e.step) w.int64(2, e.step);
  if (e.fileVersion !== undefined) w.string(3, e.fileVersion);
  else if (e.graphDef) w.bytes(4, e.graphDef);
  else if (e.summary) w.message(5, (m) => writeSummary(m, e.summary!));
  else if (e.logMessage)
    w.message(6, (m) => {
      if (e.logMessage!.level) m.uint(1, e.logMessage!.level);
      if (e.logMessage!.message) m.string(2, e.logMessage!.message);
    });
  else if (e.sessionLog) w.message(7, (m) => writeSessionLog(m, e.sessionLog!));
  if (e.sourceMetadata)
    w.message(10, (m) => {
      if (e.sourceMetadata!.writer) m.string(1, e.sourceMetadata!.writer);
    });
}

function writeSessionLog(w: ProtoWriter, s: SessionLog): void {
  if (s.status) w.uint(1, s.status);
  if (s.checkpointPath) w.string(2, s.checkpointPath);
  if (s.msg) w.string(3, s.msg);
}

/** Serializes one Event. */
export function encodeEvent(e: Event): Uint8Array {
  const w = new ProtoWriter(64);
  writeEvent(w, e);
  return w.finish();
}

/** Parses one serialized Event (throws ProtoDecodeError on malformed bytes). */
export function decodeEvent(bytes: Uint8Array): Event {
  const r = new ProtoReader(bytes);
  const e: Event = { wallTime: 0, step: 0 };
  while (r.next()) {
    switch (r.field) {
      case 1:
        e.wallTime = r.double();
        break;
      case 2:
        e.step = r.int64();
        break;
      case 3:
        e.fileVersion = r.string();
        break;
      case 4:
        e.graphDef = r.bytes();
        break;
      case 5:
        e.summary = readSummary(r.message());
        break;
      case 6: {
        const lm = { level: 0, message: '' };
        for (const m = r.message(); m.next(); ) {
          if (m.field === 1) lm.level = m.varint();
          else if (m.field === 2) lm.message = m.string();
          else m.skip();
        }
        e.logMessage = lm;
        break;
      }
      case 7: {
        const s: SessionLog = { status: 0 };
        for (const m = r.message(); m.next(); ) {
          if (m.field === 1) s.status = m.varint();
          else if (m.field === 2) s.checkpointPath = m.string();
          else if (m.field === 3) s.msg = m.string();
          else m.skip();
        }
        e.sessionLog = s;
        break;
      }
      case 10: {
        const sm = { writer: '' };
        for (const m = r.message(); m.next(); ) {
          if (m.field === 1) sm.writer = m.string();
          else m.skip();
        }
        e.sourceMetadata = sm;
        break;
      }
      default:
        r.skip();
    }
  }
  return e;
}
