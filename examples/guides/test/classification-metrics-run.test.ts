import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfusionMatrix, LayersModelWrapper, ROCAUC, SingleLabelMetric } from '@trainkit/tasks';
import { TensorDataset } from '@trainkit/core/data';
import { createRunner } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import '@trainkit/optim';
import '@trainkit/hook-logger';

describe('classification metrics in a run', () => {
  it('log precision/recall/F1 and AUC, keep the matrix as info and draw it to the vis backends', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-cls-metrics-'));
    const x = Array.from({ length: 60 }, (_, i) => [Math.cos(i), Math.sin(i), (i % 3) - 1]);
    const y = tf.tensor1d(
      x.map(([, , c]) => c + 1),
      'int32',
    );
    const data = new TensorDataset(x, y, { metainfo: { classes: ['a', 'b', 'c'] } });
    y.dispose();
    const network = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 3, activation: 'softmax' })] });
    const runner = await createRunner({
      work_dir: dir,
      env_cfg: { backend: 'cpu' },
      model: new LayersModelWrapper({ network, loss: 'sparseCategoricalCrossentropy' }),
      train_dataloader: { dataset: data, batch_size: 20 },
      train_cfg: { max_epochs: 2 },
      optim_wrapper: { optimizer: { type: 'Adam', lr: 0.1 } },
      val_dataloader: { dataset: data, batch_size: 20 },
      val_cfg: {},
      val_evaluator: [new SingleLabelMetric(), new ConfusionMatrix(), new ROCAUC(), { type: 'SingleLabelMetric', average: 'micro', prefix: 'micro' }],
      default_hooks: { checkpoint: null },
    });
    await runner.train();
    const matrix = runner.messageHub.getInfo('val/confusion_matrix/result') as number[][];
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(60);
    const log = fs.readFileSync(path.join(runner.logDir, `${path.basename(runner.logDir)}.log`), 'utf8');
    expect(log).toMatch(
      /Epoch\(val\) \[2\]\[3\/3\].*single-label\/precision: [\d.]+ +single-label\/recall: [\d.]+ +single-label\/f1-score: [\d.]+.*roc_auc\/auc: [\d.]+ +micro\/precision/,
    );
    const images = fs.readdirSync(path.join(runner.logDir, 'vis_data', 'vis_image'));
    expect(images.sort()).toEqual(['confusion_matrix_1.png', 'confusion_matrix_2.png']);
    await runner.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
