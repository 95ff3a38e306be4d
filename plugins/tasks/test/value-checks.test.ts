import { ConfigError, createRunner } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

/** A classifier over the toy data set's 2 features and 2 classes. */
const classifier = (extra: Record<string, unknown> = {}, layers: unknown[] = []) => ({
  type: 'LayersClassifier',
  input_shape: [2],
  layers: [{ type: 'dense', units: 4, activation: 'relu' }, ...layers],
  num_classes: 2,
  ...extra,
});

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('values that cannot train fail with the config path', () => {
  it('data_preprocessor.std containing 0 (top level and on the model), and mean/std of different lengths', async () => {
    const top = await errorOf(createRunner(toyConfig(tempDir(), { model: classifier(), data_preprocessor: { mean: [0, 0], std: [1, 0] } })));
    expect(top).toBeInstanceOf(ConfigError);
    expect(top.message).toMatch(
      /^data_preprocessor\.std\.1: std must be finite and non-zero: inputs are divided by it, so channel 1 would become inf\/NaN\n {2}found: 0\n {2}fix: /,
    );
    const own = await errorOf(createRunner(toyConfig(tempDir(), { model: classifier({ data_preprocessor: { mean: [0], std: [0] } }) })));
    expect(own.message).toMatch(/^model\.data_preprocessor\.std\.0: std must be finite and non-zero/);
    const lengths = await errorOf(createRunner(toyConfig(tempDir(), { model: classifier(), data_preprocessor: { mean: [0, 0, 0], std: [1, 1] } })));
    expect(lengths.message).toMatch(/^data_preprocessor\.std: mean has 3 values and std 2: one each per channel/);
  });

  it('a dropout rate outside [0, 1) in a layers config', async () => {
    for (const [layer, index] of [
      [{ type: 'dropout', rate: 1.5 }, 1],
      [{ type: 'spatial_dropout1d', rate: -0.1 }, 1],
    ] as const) {
      const err = await errorOf(createRunner(toyConfig(tempDir(), { model: classifier({}, [layer]) })));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toMatch(new RegExp(`^model\\.layers\\.${index}\\.rate: a dropout rate is the fraction of units dropped and must be in \\[0, 1\\)`));
    }
    const fine = await createRunner(toyConfig(tempDir(), { model: classifier({}, [{ type: 'dropout', rate: 0 }]) }));
    await fine.dispose();
  });

  it('Accuracy.topk above the number of classes (top-5 of 2 classes would report 100 %)', async () => {
    const runner = await createRunner(toyConfig(tempDir(), { model: classifier(), val_evaluator: [{ type: 'Accuracy', topk: [1, 5] }] }));
    const err = await errorOf(runner.val());
    await runner.dispose();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(
      /^val_evaluator\.0\.topk: top-5 accuracy of 2 classes counts every prediction as correct\n {2}found: \[1,5\]\n {2}fix: use k values up to 2, e.g. topk: 1/,
    );
    const ok = await createRunner(toyConfig(tempDir(), { model: classifier(), val_evaluator: { type: 'Accuracy', topk: 2 } }));
    expect(await ok.val()).toEqual({ 'accuracy/top2': 100 });
    await ok.dispose();
  });
});
