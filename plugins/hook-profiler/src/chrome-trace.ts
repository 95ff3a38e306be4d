import type { ProfiledIteration } from './types.js';

export interface TraceOptions {
  backend: string;
  processName: string;
  recordShapes: boolean;
  profileMemory: boolean;
}

interface TraceEvent {
  name: string;
  ph: 'X' | 'M' | 'C';
  pid: number;
  tid?: number;
  ts?: number;
  dur?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

const PID = 1;
const ITERATIONS = 1;
const KERNELS = 2;
const WRAPPING_OPS = 3;

/**
 * The profiled iterations in the Chrome trace event format (chrome://tracing, ui.perfetto.dev,
 * Chrome DevTools). One track shows each iteration's wall time; the next its kernels.
 * tf.profile reports kernel durations but not start times, so the kernels of an iteration are
 * laid end to end from its start: their total is exact, and the space left at the end of the
 * iteration is time spent outside kernels (JS, the tape, data loading of the next batch is not
 * in it). Ops that wrap kernels go on a third track, ending where their last kernel ends.
 */
export function chromeTrace(
  iterations: ProfiledIteration[],
  o: TraceOptions,
): { traceEvents: TraceEvent[]; displayTimeUnit: 'ms'; otherData: Record<string, unknown> } {
  const events: TraceEvent[] = [
    { name: 'process_name', ph: 'M', pid: PID, args: { name: o.processName } },
    { name: 'thread_name', ph: 'M', pid: PID, tid: ITERATIONS, args: { name: 'train iterations' } },
    { name: 'thread_name', ph: 'M', pid: PID, tid: KERNELS, args: { name: `tfjs kernels (${o.backend})` } },
    { name: 'thread_name', ph: 'M', pid: PID, tid: WRAPPING_OPS, args: { name: 'ops that wrap kernels' } },
  ];
  const us = (ms: number) => Math.round(ms * 1000 * 1000) / 1000;
  for (const it of iterations) {
    const start = us(it.startMs);
    events.push({
      name: `iter ${it.iter + 1}`,
      cat: 'iteration',
      ph: 'X',
      pid: PID,
      tid: ITERATIONS,
      ts: start,
      dur: us(it.wallMs),
      args: { kernels: it.kernels.length },
    });
    let cursor = start;
    for (const k of it.kernels) {
      const dur = Number.isFinite(k.timeMs) ? us(k.timeMs) : 0;
      const args: Record<string, unknown> = {};
      if (!Number.isFinite(k.timeMs)) args.time = 'not measured by this backend';
      if (o.recordShapes) {
        args.inputShapes = k.inputShapes;
        args.outputShapes = k.outputShapes;
      }
      if (o.profileMemory) {
        args.bytesAdded = k.bytesAdded;
        args.tensorsAdded = k.tensorsAdded;
      }
      if (k.wraps) {
        events.push({ name: k.name, cat: 'op', ph: 'X', pid: PID, tid: WRAPPING_OPS, ts: Math.max(start, cursor - dur), dur, args });
        continue;
      }
      events.push({ name: k.name, cat: 'kernel', ph: 'X', pid: PID, tid: KERNELS, ts: cursor, dur, args });
      cursor += dur;
      if (o.profileMemory) events.push({ name: 'tensor memory', ph: 'C', pid: PID, ts: cursor, args: { bytes: k.totalBytes } });
    }
  }
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: { producer: '@trainkit/hook-profiler', backend: o.backend, layout: 'kernels laid end to end from each iteration start' },
  };
}
