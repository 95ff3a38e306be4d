import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../src/own-dataset.js';

describe('guide: your own dataset', () => {
  it('trains from a file, from memory and from a stream', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-own-dataset-'));
    const acc = await main(dir);
    // a ring around a disc: the classes separate well once the model has learned the radius
    expect(acc.fromFile).toBeGreaterThanOrEqual(90);
    expect(acc.fromMemory).toBeGreaterThanOrEqual(85);
    expect(acc.streamed).toBeGreaterThanOrEqual(85);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
