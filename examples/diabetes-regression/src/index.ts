/** The diabetes example's own type: the dataset (loaded by the configs via custom_imports). */
import { DATASETS, type z } from '@trainkit/core';
import { DiabetesDataset, diabetesOptions } from './diabetes-dataset.js';

export { DiabetesDataset, DIABETES_FEATURES, type DiabetesOptions } from './diabetes-dataset.js';

DATASETS.register('DiabetesDataset', DiabetesDataset, { options: diabetesOptions, from: '@trainkit/example-diabetes-regression', force: true });

declare module '@trainkit/core' {
  interface DatasetOptionsMap {
    DiabetesDataset: z.input<typeof diabetesOptions>;
  }
}
