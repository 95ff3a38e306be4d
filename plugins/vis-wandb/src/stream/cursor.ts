import * as fs from 'node:fs';

/**
 * How much of one run log the server has, kept next to the log. History and console lines are
 * addressed by line index (file_stream offsets), so resending from a stale cursor overwrites the
 * same lines and never duplicates; the cursor only saves work, and fixes the offsets a resumed
 * run appends at.
 */
export interface Cursor {
  version: 1;
  /** set once the run exists on the server (UpsertBucket succeeded) */
  upserted: boolean;
  entity?: string;
  project?: string;
  /** The server the run logged to (settings.base_url may differ from WANDB_BASE_URL at sync time). */
  baseUrl?: string;
  runId?: string;
  storageId?: string;
  displayName?: string;
  /** server line index of this log's first history / console line */
  historyBase: number;
  outputBase: number;
  /** lines of this log the server has acknowledged */
  historySent: number;
  outputSent: number;
  /** files whose upload was reported in a file_stream `uploaded` list */
  reported: string[];
  /** the final `complete` request was acknowledged */
  finished: boolean;
  exitCode?: number;
  /** process that is still writing the log (a live run); sync leaves such a log alone */
  pid?: number;
}

export function emptyCursor(): Cursor {
  return { version: 1, upserted: false, historyBase: 0, outputBase: 0, historySent: 0, outputSent: 0, reported: [], finished: false };
}

export function readCursor(file: string): Cursor | undefined {
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as Cursor;
    return c.version === 1 ? { ...emptyCursor(), ...c } : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole to a temporary file and renamed, so a crash leaves the old or the new cursor. */
export function writeCursor(file: string, cursor: Cursor): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(cursor));
  fs.renameSync(tmp, file);
}

/** Whether process `pid` is alive (and not this one). */
export function isOtherProcessAlive(pid: number | undefined): boolean {
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
