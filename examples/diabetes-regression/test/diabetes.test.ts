import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRunner } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import { DiabetesDataset } from '../src/index.js';

const config = path.resolve(import.meta.dirname, '../configs/mlp_diabetes.ts');

describe('DiabetesDataset', () => {
  it('splits 442 patients 354/88 and standardises with the training statistics', () => {
    const train = new DiabetesDataset({ split: 'train' });
    const test = new DiabetesDataset({ split: 'test' });
    expect([train.length, test.length]).toEqual([354, 88]);
    // row 4 of the file is the first test row: age 50, progression 135
    const first = test.getItem(0);
    expect(first.data_samples).toEqual({ gt_value: 135, sample_idx: 0 });
    expect((first.inputs as { data: Float32Array }).data[0]).toBeCloseTo((50 - test.stats!.mean[0]) / test.stats!.std[0], 5);
    const ages = Array.from({ length: train.length }, (_, i) => (train.getItem(i).inputs as { data: Float32Array }).data[0]);
    expect(ages.reduce((a, b) => a + b, 0) / ages.length).toBeCloseTo(0, 4);
  });
});

describe('mlp_diabetes, shortened', () => {
  it('trains from the config and beats predicting the mean on the test split', async () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-diabetes-'));
    const runner = await createRunner(config, {
      overrides: { work_dir: workDir },
      cfgOptions: { 'train_cfg.max_epochs': 20, 'param_scheduler.0.end': 20, 'default_hooks.checkpoint.interval': 10 },
    });
    await runner.train();
    const metrics = await runner.test();
    await runner.dispose();
    // the training mean scores MAE 65.5, RMSE 77.1 here; least squares 46.5 and 57.3 (scripts/reference.py)
    expect(metrics['regression/mae']).toBeLessThan(55);
    expect(metrics['regression/rmse']).toBeLessThan(66);
    expect(fs.readFileSync(path.join(workDir, 'last_checkpoint'), 'utf8')).toMatch(/epoch_20\.safetensors$/);
    expect(fs.readdirSync(workDir).some((f) => /^best_regression_mae_epoch_\d+\.safetensors$/.test(f))).toBe(true);
    fs.rmSync(workDir, { recursive: true, force: true });
  });
});
