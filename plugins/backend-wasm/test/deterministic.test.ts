import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRunner } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import '@trainkit/tasks';
import '../src/index.js';

/** A small conv net on the threaded build, where XNNPACK splits the work across two threads. */
const config = () =>
  toyConfig(tempDir(), {
    model: {
      type: 'LayersClassifier',
      input_shape: [64],
      layers: [{ type: 'reshape', target_shape: [8, 8, 1] }, { type: 'conv2d', filters: 8, kernel_size: 3, activation: 'relu' }, { type: 'flatten' }],
      num_classes: 2,
    },
    train_dataloader: { dataset: { type: 'ToyDataset', length: 32, features: 64 }, batch_size: 8, sampler: { type: 'DefaultSampler', shuffle: true } },
    val_dataloader: null,
    val_cfg: null,
    val_evaluator: null,
    train_cfg: { by_epoch: true, max_epochs: 3 },
    randomness: { seed: 11, deterministic: true },
    env_cfg: { backend: 'wasm', num_threads: 2 },
    log_level: 'INFO',
  });

describe('randomness.deterministic on wasm', () => {
  it('is accepted with a log line, and two seeded runs on two threads end with bit-identical weights', async () => {
    const weights: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const runner = await createRunner(config());
      expect(runner.backend).toBe('wasm');
      await runner.train();
      expect(fs.readFileSync(runner.logger.file as string, 'utf8')).toContain('randomness.deterministic: the wasm backend is deterministic as it is');
      const values = Float32Array.from(runner.model.namedParameters().flatMap(([, v]) => [...v.dataSync()]));
      weights.push(Buffer.from(values.buffer));
      await runner.dispose();
    }
    expect(weights[0].length).toBeGreaterThan(100);
    expect(weights[0].equals(weights[1])).toBe(true);
  });
});
