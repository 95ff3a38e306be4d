import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, VISBACKENDS, type VisBackendConfig, Visualizer, createRunner } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import '@trainkit/hook-logger';
import { describe, expect, it } from 'vitest';
import { CsvVisBackend } from '../src/index.js';

/** A minimal RFC 4180 reader: enough for what the backend writes (quoted header cells). */
function readCsv(file: string, separator = ','): { header: string[]; rows: Array<Record<string, string>> } {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const split = (line: string) => {
    const cells: string[] = [];
    let cell = '';
    let inQuotes = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inQuotes && c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') inQuotes = !inQuotes;
      else if (c === separator && !inQuotes) {
        cells.push(cell);
        cell = '';
      } else cell += c;
    }
    cells.push(cell);
    return cells;
  };
  const header = split(lines[0]);
  const rows = lines.slice(1).map((l) => {
    const cells = split(l);
    expect(cells).toHaveLength(header.length);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
  return { header, rows };
}

function csvVisualizer(cfg: Record<string, unknown> = {}) {
  const dir = tempDir('trainkit-csv-');
  const vis = new Visualizer({ save_dir: dir, vis_backends: [{ type: 'CsvVisBackend', ...cfg }] });
  return { vis, backend: vis.getBackend<CsvVisBackend>('CsvVisBackend')!, dir };
}

describe('CsvVisBackend', () => {
  it('is registered with its options; unknown options and a missing save_dir are refused', () => {
    expect(VISBACKENDS.has('CsvVisBackend')).toBe(true);
    const { backend, dir } = csvVisualizer();
    expect(backend.file).toBe(path.join(dir, 'vis_data', 'metrics.csv'));
    expect(() => csvVisualizer({ seperator: ';' })).toThrow(/unknown option "seperator".*Did you mean "separator"/s);
    expect(() => csvVisualizer({ separator: ';;' })).toThrow(/separator/);
    expect(() => new CsvVisBackend({})).toThrow(ConfigError);
    const typed: VisBackendConfig = { type: 'CsvVisBackend', filename: 'training.log', separator: ';' };
    expect(typed.type).toBe('CsvVisBackend');
  });

  it('one row per step: epoch and step first, then sorted columns; a new column rewrites the header', async () => {
    const { vis, backend } = csvVisualizer();
    vis.addScalars({ loss: 0.5, lr: 0.1, epoch: 1, iter: 1 }, 1);
    vis.addScalar('grad_norm', 2, 1); // same step: same row
    vis.addScalars({ loss: 0.25, lr: 0.1, epoch: 1, iter: 2 }, 2);
    vis.addScalars({ loss: Number.NaN, lr: 0.1, epoch: 1, iter: 3 }, 3);
    // a row is on disk once the next step begins, before any flush
    expect(readCsv(backend.file).rows).toHaveLength(2);
    vis.addScalars({ 'accuracy/top1': 81.5, 'a,b': Number.POSITIVE_INFINITY }, 1); // validation at epoch 1
    await vis.close();
    const { header, rows } = readCsv(backend.file);
    expect(header).toEqual(['epoch', 'step', 'a,b', 'accuracy/top1', 'grad_norm', 'iter', 'loss', 'lr']);
    expect(fs.readFileSync(backend.file, 'utf8').split('\n')[0]).toBe('epoch,step,"a,b",accuracy/top1,grad_norm,iter,loss,lr');
    expect(rows).toEqual([
      { epoch: '1', step: '1', 'a,b': '', 'accuracy/top1': '', grad_norm: '2', iter: '1', loss: '0.5', lr: '0.1' },
      { epoch: '1', step: '2', 'a,b': '', 'accuracy/top1': '', grad_norm: '', iter: '2', loss: '0.25', lr: '0.1' },
      { epoch: '1', step: '3', 'a,b': '', 'accuracy/top1': '', grad_norm: '', iter: '3', loss: 'nan', lr: '0.1' },
      { epoch: '', step: '1', 'a,b': 'inf', 'accuracy/top1': '81.5', grad_norm: '', iter: '', loss: '', lr: '' },
    ]);
  });

  it('takes Keras-style filename and separator', async () => {
    const { vis, backend, dir } = csvVisualizer({ filename: 'training.log', separator: ';' });
    vis.addScalars({ loss: 1, epoch: 0 }, 0);
    await vis.close();
    expect(backend.file).toBe(path.join(dir, 'vis_data', 'training.log'));
    expect(fs.readFileSync(backend.file, 'utf8')).toBe('epoch;step;loss\n0;0;1\n');
  });

  it('in a run with LoggerHook: the same values as scalars.json, one row per logged line', async () => {
    const workDir = tempDir('trainkit-csv-run-');
    const runner = await createRunner(
      toyConfig(workDir, {
        default_hooks: { logger: { type: 'LoggerHook', interval: 2 }, checkpoint: null, param_scheduler: null },
        visualizer: { vis_backends: [{ type: 'LocalVisBackend' }, { type: 'CsvVisBackend' }] },
      }),
    );
    await runner.train();
    await runner.dispose();
    const json = fs
      .readFileSync(path.join(runner.logDir, 'vis_data', 'scalars.json'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, number>);
    const { rows } = readCsv(path.join(runner.logDir, 'vis_data', 'metrics.csv'));
    expect(rows).toHaveLength(json.length);
    rows.forEach((row, i) => {
      for (const [k, v] of Object.entries(json[i])) expect(Number(row[k])).toBe(v);
    });
    // train lines carry their epoch; validation rows their metric
    expect(rows.some((r) => r.epoch === '2' && r.loss !== '')).toBe(true);
    expect(rows.filter((r) => r['toy/acc'] !== '').map((r) => r.step)).toEqual(['1', '2']);
  });
});
