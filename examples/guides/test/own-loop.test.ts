import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { main } from '../src/own-loop.js';

describe('guide: your own loop', () => {
  it('a plain loop without the Runner, and a LOOPS type inside it, both train; nothing leaks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-own-loop-'));
    const before = tf.memory().numTensors;
    const { plain, custom } = await main(dir);
    expect(plain.metrics['accuracy/top1']).toBeGreaterThanOrEqual(95);
    expect(plain.lastLoss).toBeLessThan(plain.firstLoss);
    // stopped by its own rule, well before max_iters
    expect(custom.iters).toBeGreaterThan(1);
    expect(custom.iters).toBeLessThan(2000);
    expect(tf.memory().numTensors).toBe(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
