import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/own-metric.js';

describe('guide: your own metric', () => {
  it('R2Score, built from a config in a test run, equals the formula', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-own-metric-'));
    const { metrics, x, y } = await main(dir);
    // the model predicts 2x exactly, so every residual is ±0.3
    const mean = y.reduce((a, [v]) => a + v, 0) / y.length;
    const ssTot = y.reduce((a, [v]) => a + (v - mean) ** 2, 0);
    expect(metrics['r2/score']).toBeCloseTo(1 - (x.length * 0.09) / ssTot, 5);
    expect(metrics['regression/mae']).toBeCloseTo(0.3, 5);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
