import * as fs from 'node:fs';

/** The columns every table starts with: Keras' CSVLogger leads with `epoch`, Lightning's adds `step`. */
export const LEADING_COLUMNS = ['epoch', 'step'] as const;

/** A number as Python's csv module writes a float (`nan`, `inf`), so pandas reads it back. */
function cellOf(value: number | undefined): string {
  if (value === undefined) return '';
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}

/** RFC 4180 quoting for a header cell that holds the separator, a quote or a line break. */
function quoted(text: string, separator: string): string {
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A CSV table whose header is `epoch, step` and then every column seen so far, sorted (as both
 * Lightning and Keras sort their keys). Rows are appended with synchronous writes, so an
 * interrupted run keeps every row but the one being filled; when a new column appears the file
 * is rewritten under the wider header (as Lightning's CSVLogger does), atomically.
 */
export class CsvTable {
  private columns: string[] = [...LEADING_COLUMNS];
  private readonly rows: Array<Map<string, number>> = [];
  private fd: number | undefined;

  constructor(
    readonly file: string,
    readonly separator: string,
  ) {}

  get header(): readonly string[] {
    return this.columns;
  }

  /** Appends one row; `values` may hold `epoch` and `step`. */
  append(values: Map<string, number>): void {
    this.rows.push(values);
    const fresh = [...values.keys()].filter((k) => !this.columns.includes(k));
    if (fresh.length > 0 || this.fd === undefined) {
      const rest = [...new Set([...this.columns.slice(LEADING_COLUMNS.length), ...fresh])].filter((k) => !(LEADING_COLUMNS as readonly string[]).includes(k));
      this.columns = [...LEADING_COLUMNS, ...rest.sort()];
      this.rewrite();
      return;
    }
    fs.writeSync(this.fd, this.line(values));
  }

  private line(values: Map<string, number>): string {
    return `${this.columns.map((c) => cellOf(values.get(c))).join(this.separator)}\n`;
  }

  private rewrite(): void {
    this.close();
    const tmp = `${this.file}.tmp`;
    const text = `${this.columns.map((c) => quoted(c, this.separator)).join(this.separator)}\n${this.rows.map((r) => this.line(r)).join('')}`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, this.file);
    this.fd = fs.openSync(this.file, 'a');
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
