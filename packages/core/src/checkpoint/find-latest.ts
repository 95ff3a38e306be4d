import * as fs from 'node:fs';
import * as path from 'node:path';

/** The path written in `<work_dir>/last_checkpoint`, or undefined if there is none. */
export function readLastCheckpoint(workDir: string): string | undefined {
  const file = path.join(workDir, 'last_checkpoint');
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8').trim();
  // written relative to work_dir; older files hold absolute paths, which resolve to themselves
  return text ? path.resolve(workDir, text) : undefined;
}

/** Published copies (`<name>-<8 hex>.<ext>`) hold weights only: nothing to resume from. */
const PUBLISHED = /-[0-9a-f]{8}\.[^.]+$/;

/**
 * Resumable checkpoints in `dir` with one of `extensions`, newest first (by modification time,
 * then name), for auto-resume to fall back on when the newest one is broken. Best checkpoints
 * (saved without optimizer state), published copies and temporary files are left out.
 */
export function listCheckpoints(dir: string, extensions: readonly string[]): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => extensions.some((e) => f.endsWith(e)) && !f.startsWith('best_') && !f.startsWith('.') && !f.includes('.tmp') && !PUBLISHED.test(f))
    .map((f) => {
      const full = path.join(dir, f);
      return { full, mtime: fs.statSync(full).mtimeMs };
    })
    .sort((a, b) => b.mtime - a.mtime || b.full.localeCompare(a.full, undefined, { numeric: true }))
    .map((x) => x.full);
}
