import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach } from 'vitest';

const dirs: string[] = [];

/**
 * A fresh temporary folder, removed after the test. Its name must not contain `tfevents`:
 * TensorBoard takes any path whose base name does for an event file, folders included.
 */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbwriter-test-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
