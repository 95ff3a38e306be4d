import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { jsonTags } from '../src/index.js';

it('turns test results into JSON values, dropping what JSON cannot hold', () => {
  const t = tf.tensor2d([
    [1, 2],
    [3, 4],
  ]);
  const out = jsonTags({
    acc: 0.8,
    nan: Number.NaN,
    confusion: t,
    per_class: new Float32Array([0.5, 0.25]),
    nested: { a: [1, () => 0], b: 'x' },
    fn: () => 0,
    missing: undefined,
    when: new Date(0),
  });
  t.dispose();
  expect(out).toEqual({
    acc: 0.8,
    nan: null,
    confusion: [
      [1, 2],
      [3, 4],
    ],
    per_class: [0.5, 0.25],
    nested: { a: [1, null], b: 'x' },
  });
  expect(JSON.parse(JSON.stringify(out))).toEqual(out);
});
