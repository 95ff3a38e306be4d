import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node's `mkdirSync(dir, {recursive: true})` never returns for a
 * folder under a pseudo file system such as /proc (it keeps retrying the parent), so a work_dir or
 * cache folder there would hang the run instead of failing with ENOENT/EACCES.
 */
export function ensureDir(dir: string): void {
  // a file where the folder should be fails as mkdir fails there (EEXIST), naming the path
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) fs.mkdirSync(dir);
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
