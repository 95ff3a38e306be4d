import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One PyTorch optimizer trajectory from reference/optimizers (see plugins/optim/test/reference/README.md). */
export interface OptimizerCase {
  optimizer: { type: string; [k: string]: unknown };
  param_groups: Array<{ params: string[]; [k: string]: unknown }>;
  params: Record<string, { shape: number[]; data: number[] }>;
  grads: Array<Record<string, number[]>>;
  expected: Array<Record<string, number[]>>;
}

/**
 * The optimizer cases: TRAINKIT_REFERENCE_DIR, else the shared folder beside the repository, else
 * the copy the optim plugin's tests keep.
 */
export function optimizerCases(): Array<{ name: string; data: OptimizerCase }> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const candidates = [
    process.env.TRAINKIT_REFERENCE_DIR,
    path.resolve(root, '..', 'shared', 'reference'),
    path.join(root, 'plugins', 'optim', 'test', 'reference'),
  ];
  const base = candidates.find((d): d is string => d !== undefined && fs.existsSync(path.join(d, 'optimizers')));
  if (!base) throw new Error(`no reference/optimizers folder in ${candidates.filter(Boolean).join(', ')}`);
  const dir = path.join(base, 'optimizers');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f, data: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as OptimizerCase }));
}

/** The first element outside `rel` relative error (or `abs` near zero), for messages; undefined when all match. */
export function worstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, abs: number): string | undefined {
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= rel * Math.abs(expected[i]) || err <= abs)) return `element ${i}: ${actual[i]}, expected ${expected[i]}`;
  }
  return undefined;
}

/** Deterministic values in [-1, 1) (mulberry32): the same inputs on every backend and run. */
export function seededValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let a = seed >>> 0;
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}
