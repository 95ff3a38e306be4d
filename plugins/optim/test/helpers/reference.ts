import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The numeric reference data (PyTorch / MMEngine runs): the folder TRAINKIT_REFERENCE_DIR names,
 * else `<repo>/../shared/reference`, found from this file's location rather than the cwd.
 */
export function referenceDir(): string {
  const fromEnv = process.env.TRAINKIT_REFERENCE_DIR;
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
  const dir = fromEnv ? path.resolve(fromEnv) : path.resolve(repoRoot, '..', 'shared', 'reference');
  if (!fs.existsSync(dir)) {
    throw new Error(
      `numeric reference data not found at ${dir}: ${fromEnv ? 'TRAINKIT_REFERENCE_DIR points nowhere' : 'expected the shared reference folder next to the repository'}; set TRAINKIT_REFERENCE_DIR to a folder with optimizers/ and schedulers/`,
    );
  }
  return dir;
}

export interface ReferenceCase<T> {
  name: string;
  data: T;
}

/** Every JSON case of one kind (`optimizers` or `schedulers`), sorted by file name. */
export function referenceCases<T>(kind: 'optimizers' | 'schedulers'): Array<ReferenceCase<T>> {
  const dir = path.join(referenceDir(), kind);
  if (!fs.existsSync(dir)) throw new Error(`reference folder ${dir} is missing`);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`reference folder ${dir} has no .json case`);
  return files.map((f) => ({ name: f, data: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as T }));
}

/** Relative error check with an absolute floor near zero; returns the worst offender for messages. */
export function worstMismatch(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rel: number,
  abs: number,
): { index: number; actual: number; expected: number } | undefined {
  if (actual.length !== expected.length) return { index: -1, actual: actual.length, expected: expected.length };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const err = Math.abs(a - e);
    if (!(err <= rel * Math.abs(e) || err <= abs)) return { index: i, actual: a, expected: e };
  }
  return undefined;
}
