import * as fs from 'node:fs';
import * as path from 'node:path';

/** `YYYYMMDD_HHMMSS` in local time, as MMEngine names run folders. */
export function timestampNow(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * `<work_dir>/<timestamp>`, created; a second run started in the same second gets `_1`, `_2`
 * (MMEngine would share one folder and one logger between them).
 */
export function uniqueLogDir(workDir: string, timestamp: string): string {
  for (let i = 0; ; i++) {
    const dir = path.join(workDir, i === 0 ? timestamp : `${timestamp}_${i}`);
    try {
      fs.mkdirSync(dir, { recursive: false });
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Removes the run folder of a run that failed before it started (it holds nothing but the
 * start of a log), and `workDir` too when this run created it and it is now empty.
 */
export function removeFailedRunFolder(logDir: string, createdWorkDir?: string): void {
  try {
    fs.rmSync(logDir, { recursive: true, force: true });
    if (createdWorkDir && fs.readdirSync(createdWorkDir).length === 0) fs.rmdirSync(createdWorkDir);
  } catch {
    // best effort: the error that stopped the run is what the user needs to see
  }
}
