import type * as tf from '@tensorflow/tfjs';
import type { Runner } from '@trainkit/core';
import type { EMAHook } from '../src/index.js';

// Helpers without the stand-in registrations of fixtures.ts, for tests with the real plugins.

export type Weights = Record<string, number[]>;

export function weightsOf(vars: Array<[string, tf.Tensor]> | Map<string, tf.Tensor>): Weights {
  return Object.fromEntries([...vars].map(([n, v]) => [n, Array.from(v.dataSync())]));
}

export function emaOf(runner: Runner): EMAHook {
  return runner.hooks.find((h) => h.displayName === 'EMAHook') as EMAHook;
}
