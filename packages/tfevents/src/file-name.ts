import * as os from 'node:os';

/** Per-process counter in event file names, as TensorBoard's Python writer keeps one. */
let fileCounter = 0;

/**
 * `events.out.tfevents.<10-digit secs>.<host>.<pid>.<n><suffix>`: readers pick files by the
 * `tfevents` substring and TensorBoard's Python loader reads a run's files in name order, never
 * going back, so the zero-padded time makes later files sort after earlier ones.
 */
export function eventFileName(suffix = '', now = Date.now()): string {
  const secs = String(Math.floor(now / 1000)).padStart(10, '0');
  // a host name with a path separator would turn the name into a path
  const host = os.hostname().replace(/[/\\]/g, '_');
  return `events.out.tfevents.${secs}.${host}.${process.pid}.${fileCounter++}${suffix}`;
}

/** Whether TensorBoard treats `name` as an event file. */
export function isEventFileName(name: string): boolean {
  return name.includes('tfevents') && !name.endsWith('.profile-empty');
}
