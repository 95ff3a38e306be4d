/**
 * @trainkit/vis-csv: CsvVisBackend writes the run's scalars as a CSV table, one row per logged
 * step, with the columns Lightning's and Keras' CSV loggers write. Importing it registers
 * `CsvVisBackend` in VISBACKENDS.
 */
import { VISBACKENDS, type z } from '@trainkit/core';
import { CsvVisBackend } from './csv-vis-backend.js';
import { csvVisBackendOptions } from './options.js';

export { CsvVisBackend } from './csv-vis-backend.js';
export { CsvTable, LEADING_COLUMNS } from './csv-table.js';
export { csvVisBackendOptions, type CsvVisBackendOptions } from './options.js';

VISBACKENDS.register('CsvVisBackend', CsvVisBackend, { options: csvVisBackendOptions, from: '@trainkit/vis-csv' });

declare module '@trainkit/core' {
  interface VisBackendOptionsMap {
    CsvVisBackend: z.input<typeof csvVisBackendOptions>;
  }
}
