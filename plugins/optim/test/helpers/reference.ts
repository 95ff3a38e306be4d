import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The numeric reference data (PyTorch / MMEngine runs): the folder TRAINKIT_REFERENCE_DIR names,
 * else `<repo>/../shared/reference` when it exists, else the copy in `test/reference` (for clones
 * on machines without the shared folder). Found from this file's location, not the cwd.
 */
export function referenceDir(): string {
  const fromEnv = process.env.TRAINKIT_REFERENCE_DIR;
  const here = path.dirname(fileURLToPath(import.meta.url));
  if (fromEnv) {
    const dir = path.resolve(fromEnv);
    if (!fs.existsSync(dir)) throw new Error(`TRAINKIT_REFERENCE_DIR points nowhere: ${dir}; set it to a folder with optimizers/ and schedulers/`);
    return dir;
  }
  const shared = path.resolve(here, '../../../..', '..', 'shared', 'reference');
  return fs.existsSync(shared) ? shared : path.resolve(here, '../reference');
}

export interface ReferenceCase<T> {
  name: string;
  data: T;
}

const jsonFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : []);

/**
 * Every JSON case of one kind (`optimizers` or `schedulers`), sorted by file name. Cases made
 * here after the shared set (Rprop, ASGD: see `test/reference/generate-optimizers.py`) live only
 * in the copy, so the copy's cases that the shared folder lacks are added to it; a folder named
 * by TRAINKIT_REFERENCE_DIR is taken as it is.
 */
export function referenceCases<T>(kind: 'optimizers' | 'schedulers'): Array<ReferenceCase<T>> {
  const dir = path.join(referenceDir(), kind);
  if (!fs.existsSync(dir)) throw new Error(`reference folder ${dir} is missing`);
  const where = new Map(jsonFiles(dir).map((f) => [f, dir]));
  const copy = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../reference', kind);
  if (!process.env.TRAINKIT_REFERENCE_DIR) for (const f of jsonFiles(copy)) if (!where.has(f)) where.set(f, copy);
  const files = [...where.keys()].sort();
  if (files.length === 0) throw new Error(`reference folder ${dir} has no .json case`);
  return files.map((f) => ({ name: f, data: JSON.parse(fs.readFileSync(path.join(where.get(f)!, f), 'utf8')) as T }));
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
