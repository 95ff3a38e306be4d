import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LayersModelWrapper } from '@trainkit/tasks';
import { TensorDataset } from '@trainkit/core/data';
import { createRunner } from '@trainkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/tfjs-quickstart.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-quickstart-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the tfjs quickstart (code-first Runner over a wrapped tf.LayersModel)', () => {
  it('learns, and leaves the checkpoints and logs of a config run', async () => {
    const before = tf.memory().numTensors;
    const { metrics, prediction, workDir } = await main(dir, 20);
    // the targets vary with a variance of ~4.3; the fit is far better than the mean
    expect(metrics['regression/mse']).toBeLessThan(0.2);
    expect(Math.abs(prediction - 1.5)).toBeLessThan(0.5);
    expect(fs.readFileSync(path.join(workDir, 'last_checkpoint'), 'utf8')).toMatch(/epoch_20\./);
    for (const n of [5, 10, 15, 20]) expect(fs.readdirSync(workDir).some((f) => f.startsWith(`epoch_${n}.`))).toBe(true);
    const runDir = fs.readdirSync(workDir).find((f) => /^\d{8}_\d{6}/.test(f))!;
    const log = fs.readFileSync(path.join(workDir, runDir, `${runDir}.log`), 'utf8');
    expect(log).toMatch(/Epoch\(train\) +\[20\]\[10\/10\].*loss: /);
    expect(log).toMatch(/Epoch\(val\) \[20\]\[1\/1\] +regression\/mse: /);
    const scalars = fs
      .readFileSync(path.join(workDir, runDir, 'vis_data', 'scalars.json'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(scalars.some((s) => 'loss' in s)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes from its own checkpoint like a config run', async () => {
    // resume is a config key; a code-first run passes it the same way
    const network = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 16, activation: 'relu' }), tf.layers.dense({ units: 1 })] });
    const runner = await createRunner({
      work_dir: dir,
      env_cfg: { backend: 'cpu' },
      resume: true,
      model: new LayersModelWrapper({ network, loss: 'mse' }),
      train_dataloader: { dataset: new TensorDataset([[0, 0]], [[0.5]]), batch_size: 1 },
      train_cfg: { max_epochs: 21 },
      optim_wrapper: { optimizer: { type: 'Adam', lr: 0.01 } },
      default_hooks: { checkpoint: { type: 'CheckpointHook', interval: 1 } },
    });
    await runner.train();
    expect(runner.epoch).toBe(21);
    expect(fs.readFileSync(path.join(dir, 'last_checkpoint'), 'utf8')).toMatch(/epoch_21\./);
    await runner.dispose();
  });
});
