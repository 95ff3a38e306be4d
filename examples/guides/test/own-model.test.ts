import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/own-model.js';

describe('guide: your own model', () => {
  it('a BaseModel subclass with raw variables learns y = 2 x0 - x1 + 3', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-own-model-'));
    const { metrics, learned } = await main(dir);
    expect(learned.weight[0]).toBeCloseTo(2, 1);
    expect(learned.weight[1]).toBeCloseTo(-1, 1);
    expect(learned.bias).toBeCloseTo(3, 1);
    expect(metrics['regression/mse']).toBeLessThan(0.01);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
