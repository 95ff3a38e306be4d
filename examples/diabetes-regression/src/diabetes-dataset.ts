import * as fs from 'node:fs';
import * as path from 'node:path';
import { BaseDataset, ConfigError, type DataItem, defineOptions, z } from '@trainkit/core';

export const DIABETES_FEATURES = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'] as const;

export const diabetesOptions = defineOptions({
  /** The CSV (`data/diabetes.csv` of this package by default). */
  data_file: z.string().optional(),
  /** `train`: 4 rows of every 5; `test`: the 5th (rows 4, 9, 14, ...). */
  split: z.enum(['train', 'test']),
});

export type DiabetesOptions = z.input<typeof diabetesOptions>;

const DEFAULT_FILE = path.resolve(import.meta.dirname, '../data/diabetes.csv');

/**
 * The diabetes data of Efron et al. (2004): ten baseline measurements of 442 patients and a
 * measure of disease progression a year later, the regression target (`gt_value`). Features are
 * standardised with the training split's mean and standard deviation, for both splits.
 */
export class DiabetesDataset extends BaseDataset {
  readonly file: string;
  readonly split: 'train' | 'test';
  /** The training split's per-feature mean and standard deviation. */
  stats: { mean: number[]; std: number[] } | undefined;

  constructor(opts: DiabetesOptions) {
    super([], { features: DIABETES_FEATURES, target: 'progression' });
    this.file = opts.data_file ?? DEFAULT_FILE;
    this.split = opts.split;
  }

  protected loadDataList(): Record<string, unknown>[] {
    if (!fs.existsSync(this.file))
      throw new ConfigError(`diabetes data not found at ${this.file}`, { path: 'dataset.data_file', fix: 'point data_file at diabetes.csv' });
    const rows = fs
      .readFileSync(this.file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    const isTest = (i: number) => i % 5 === 4;
    const train = rows.filter((_, i) => !isTest(i));
    const mean = DIABETES_FEATURES.map((_, j) => train.reduce((a, r) => a + r[j], 0) / train.length);
    const std = DIABETES_FEATURES.map((_, j) => Math.sqrt(train.reduce((a, r) => a + (r[j] - mean[j]) ** 2, 0) / train.length));
    this.stats = { mean, std };
    return rows
      .filter((_, i) => isTest(i) === (this.split === 'test'))
      .map((r) => ({ features: Float32Array.from(DIABETES_FEATURES, (_, j) => (r[j] - mean[j]) / std[j]), progression: r[10] }));
  }

  override getItem(index: number): DataItem {
    const { features, progression } = this.getDataInfo(index) as { features: Float32Array; progression: number };
    return { inputs: { data: features, shape: [features.length] }, data_samples: { gt_value: progression, sample_idx: index } };
  }
}
