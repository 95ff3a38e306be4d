import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, type VisBackend, parseOptions } from '@trainkit/core';
import { CsvTable } from './csv-table.js';
import { type CsvVisBackendOptions, csvVisBackendOptions } from './options.js';

/**
 * The run's scalars as one CSV table (`<run>/vis_data/metrics.csv`): one row per logged step,
 * with the columns of Lightning's CSVLogger and Keras' CSVLogger (`epoch`, `step`, then each
 * scalar, sorted). Values logged at the same step share a row; a row is written when the step
 * changes and on flush / close. A spreadsheet or `pandas.read_csv` reads it as it is.
 */
export class CsvVisBackend implements VisBackend {
  readonly name: string | undefined;
  readonly saveDir: string;
  readonly file: string;
  private readonly table: CsvTable;
  private pending: Map<string, number> | undefined;
  private pendingStep: number | undefined;

  constructor(options: CsvVisBackendOptions = {}) {
    const o = parseOptions(csvVisBackendOptions, options, 'visualizer.vis_backends', 'CsvVisBackend');
    if (!o.save_dir)
      throw new ConfigError('CsvVisBackend needs a save_dir', { path: 'visualizer.vis_backends', fix: 'set save_dir, or let the runner set it' });
    this.name = o.name;
    this.saveDir = o.save_dir;
    this.file = path.join(this.saveDir, o.filename);
    this.table = new CsvTable(this.file, o.separator);
  }

  addScalar(name: string, value: number, step: number): void {
    this.addScalars({ [name]: value }, step);
  }

  addScalars(scalars: Record<string, number>, step: number, _filePath?: string): void {
    const numeric = Object.entries(scalars).filter(([, v]) => typeof v === 'number');
    if (numeric.length === 0) return;
    const rowStep = typeof scalars.step === 'number' ? scalars.step : step;
    if (this.pending && this.pendingStep !== rowStep) this.writePending();
    this.pending ??= new Map([['step', rowStep]]);
    this.pendingStep = rowStep;
    for (const [k, v] of numeric) this.pending.set(k, v);
  }

  private writePending(): void {
    if (!this.pending) return;
    fs.mkdirSync(this.saveDir, { recursive: true });
    this.table.append(this.pending);
    this.pending = undefined;
    this.pendingStep = undefined;
  }

  flush(): void {
    this.writePending();
  }

  close(): void {
    this.writePending();
    this.table.close();
  }
}
