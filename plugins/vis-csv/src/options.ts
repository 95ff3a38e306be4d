import { defineOptions, z } from '@trainkit/core';

/** Options of CsvVisBackend (`separator` and the file name as Keras' and Lightning's loggers call them). */
export const csvVisBackendOptions = defineOptions({
  /** Folder of the table; the runner sets `<run>/vis_data`. */
  save_dir: z.string().optional(),
  name: z.string().optional(),
  /** The table's file name in save_dir (Lightning's `metrics.csv`). */
  filename: z
    .string()
    .regex(/^[^/\\]+$/, { message: 'a file name, without folders' })
    .default('metrics.csv'),
  /** The character between cells (Keras' `separator`). */
  separator: z.string().length(1, { message: 'one character' }).default(','),
});

export type CsvVisBackendOptions = z.input<typeof csvVisBackendOptions>;
