import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * W&B's run folder layout (spec §9.1): `<wandb dir>/offline-run-<YYYYMMDD_HHMMSS>-<id>/` (online
 * runs: `run-…`) holding `run-<id>.wandb` and `files/`. trainkit adds one file of its own next to
 * the log, `run-<id>.wandb.trainkit.json`, saying how much of the log the server already has.
 */
export interface RunPaths {
  dir: string;
  runId: string;
  logFile: string;
  filesDir: string;
  /** trainkit's record of what the server already has */
  cursorFile: string;
  /** marker the SDK's `wandb sync` also writes after a complete upload */
  syncedMarker: string;
  /** the SDK's resume hints (`starting_step`, `starting_runtime`) */
  syncStateFile: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time, as the SDK names folders. */
export function folderTimestamp(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}_${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

export function runPathsFor(logFile: string): RunPaths {
  const dir = path.dirname(logFile);
  const runId = path
    .basename(logFile)
    .replace(/^run-/, '')
    .replace(/\.wandb$/, '');
  return {
    dir,
    runId,
    logFile,
    filesDir: path.join(dir, 'files'),
    cursorFile: `${logFile}.trainkit.json`,
    syncedMarker: `${logFile}.synced`,
    syncStateFile: `${logFile}.syncstate`,
  };
}

/** Creates a fresh run folder; `latest-run` points at it, as with the SDK. */
export function createRunDir(wandbDir: string, offline: boolean, runId: string, start: Date): RunPaths {
  fs.mkdirSync(wandbDir, { recursive: true });
  for (let shift = 0; ; shift++) {
    const stamp = folderTimestamp(new Date(start.getTime() + shift * 1000));
    const dir = path.join(wandbDir, `${offline ? 'offline-run' : 'run'}-${stamp}-${runId}`);
    try {
      fs.mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    const paths = runPathsFor(path.join(dir, `run-${runId}.wandb`));
    fs.mkdirSync(paths.filesDir, { recursive: true });
    fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
    linkLatest(wandbDir, path.basename(dir));
    return paths;
  }
}

function linkLatest(wandbDir: string, name: string): void {
  const link = path.join(wandbDir, 'latest-run');
  try {
    fs.rmSync(link, { force: true });
    fs.symlinkSync(name, link, 'dir');
  } catch {
    // a convenience only (and not possible on every file system)
  }
}
