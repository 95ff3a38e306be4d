import * as fs from 'node:fs';
import * as path from 'node:path';
import { TrainkitError } from '../errors.js';

/** `YYYYMMDD_HHMMSS` in local time, as MMEngine names run folders. */
export function timestampNow(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

// names planned by runners of this process that have not made their folder yet
const planned = new Set<string>();

/**
 * `<work_dir>/<timestamp>`, chosen but not created (a Runner makes it when its run starts); a
 * second runner built in the same second gets `_1`, `_2` (MMEngine would share one folder and
 * one logger between them). The name is held for this process until `createLogDir` or
 * `releaseLogDir`.
 */
export function planLogDir(workDir: string, timestamp: string): string {
  for (let i = 0; ; i++) {
    const dir = path.join(workDir, i === 0 ? timestamp : `${timestamp}_${i}`);
    if (!planned.has(dir) && !fs.existsSync(dir)) {
      planned.add(dir);
      return dir;
    }
  }
}

/**
 * Creates the planned run folder. It may exist already, made by a part this runner built (a vis
 * backend that prepares its files); one that holds a log is another run's, which took the name
 * since (two processes in one work_dir in the same second): an error, never a shared log.
 */
export function createLogDir(dir: string): void {
  planned.delete(dir);
  const log = path.join(dir, `${path.basename(dir)}.log`);
  if (fs.existsSync(log)) {
    throw new TrainkitError(
      `the run folder ${dir} was taken by another run after this runner was built (two runs in one work_dir started in the same second); start this run again, or give each run its own work_dir`,
    );
  }
  try {
    // not `recursive`: on a read-only file system that reports ENOENT instead of EROFS
    fs.mkdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

export function releaseLogDir(dir: string): void {
  planned.delete(dir);
}
