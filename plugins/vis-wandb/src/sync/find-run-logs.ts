import * as fs from 'node:fs';
import * as path from 'node:path';

const MAX_DEPTH = 8;

/**
 * The run logs under a path: a `.wandb` file itself, or every `run-<id>.wandb` found below a
 * folder (a W&B run folder, a `wandb/` folder, or a whole trainkit work_dir).
 */
export function findRunLogs(target: string): string[] {
  const stat = fs.statSync(target);
  if (stat.isFile()) return [path.resolve(target)];
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isFile() && /^run-.+\.wandb$/.test(e.name)) found.push(path.resolve(full));
      else if (e.isDirectory() && depth < MAX_DEPTH && e.name !== 'node_modules' && e.name !== 'latest-run') walk(full, depth + 1);
    }
  };
  walk(target, 0);
  return found.sort();
}
