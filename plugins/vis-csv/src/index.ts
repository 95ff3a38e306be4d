/**
 * @trainkit/vis-csv: CsvVisBackend writes the run's scalars as a CSV table, one row per logged
 * step, with the columns Lightning's and Keras' CSV loggers write. Importing it registers
 * `CsvVisBackend` in VISBACKENDS.
 */
import { definePlugin } from '@trainkit/core/plugin';
import type { z } from '@trainkit/core';
import { CsvVisBackend } from './csv-vis-backend.js';
import { csvVisBackendOptions } from './options.js';

export { CsvVisBackend } from './csv-vis-backend.js';
export { CsvTable, LEADING_COLUMNS } from './csv-table.js';
export { csvVisBackendOptions, type CsvVisBackendOptions } from './options.js';

export const plugin = definePlugin({
  name: '@trainkit/vis-csv',
  provides: { VISBACKENDS: { CsvVisBackend: { cls: CsvVisBackend, options: csvVisBackendOptions } } },
});

declare module '@trainkit/core' {
  interface VisBackendOptionsMap {
    CsvVisBackend: z.input<typeof csvVisBackendOptions>;
  }
}
