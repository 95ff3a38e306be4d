import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type Runner, createRunner } from '../src/index.js';
import { tempDir, toyConfig } from '../src/testing/index.js';

describe('Runner', () => {
  it('trains the toy model for two epochs with validation and leaves its run folder', async () => {
    const workDir = tempDir();
    const runner = await createRunner(toyConfig(workDir, { experiment_name: 'toyexp' }));
    await runner.train();
    expect(runner.epoch).toBe(2);
    expect(runner.iter).toBe(10);
    const log = fs.readFileSync(path.join(runner.logDir, `${path.basename(runner.logDir)}.log`), 'utf8');
    expect(log).toContain('Hooks will be executed in the following order:');
    expect(runner.messageHub.getScalar('val/toy/acc').current()).toBe(0.7);
    expect(fs.existsSync(path.join(workDir, `${path.basename(runner.logDir)}.json`))).toBe(true);
    await runner.dispose();
  });

  it('keeps tf.memory().numTensors flat across iterations', async () => {
    const workDir = tempDir();
    const runner = await createRunner(toyConfig(workDir, { train_cfg: { by_epoch: false, max_iters: 300, val_interval: 1000 } }));
    const counts: number[] = [];
    runner.hooks.push();
    const loop = runner as Runner;
    await loop.train();
    counts.push(tf.memory().numTensors);
    expect(loop.iter).toBe(300);
    await runner.dispose();
  });
});
