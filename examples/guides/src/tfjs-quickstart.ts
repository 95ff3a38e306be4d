// examples/guides/src/tfjs-quickstart.ts
import * as tf from '@tensorflow/tfjs';
import { LayersModelWrapper, MSE } from '@trainkit/tasks';
import { TensorDataset } from '@trainkit/core/data';
import { createRunner } from '@trainkit/core';
// each import registers what the run uses: Adam and the OptimWrapper, LoggerHook, CheckpointHook
import '@trainkit/optim';
import '@trainkit/hook-logger';
import '@trainkit/hook-checkpoint';

/** Trains an existing tf.LayersModel on in-memory tensors, with the hooks, checkpoints and logs of a config run. */
export async function main(workDir = './work_dirs/tfjs-quickstart', maxEpochs = 20) {
  // plain TensorFlow.js so far: a model and tensors (y = 3 x0 - 2 x1 + 0.5)
  const network = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [2], units: 16, activation: 'relu' }), tf.layers.dense({ units: 1 })],
  });
  const x = tf.randomUniform([240, 2], -1, 1, 'float32', 7);
  const y = tf.tidy(() => tf.add(tf.matMul(x, tf.tensor2d([[3], [-2]])), 0.5));
  const [xTrain, xVal] = tf.split(x, [200, 40]);
  const [yTrain, yVal] = tf.split(y, [200, 40]);
  // the datasets copy the rows, so the tensors can go now
  const train = new TensorDataset(xTrain, yTrain);
  const val = new TensorDataset(xVal, yVal);
  tf.dispose([x, y, xTrain, xVal, yTrain, yVal]);

  // MMEngine's config keys, with built objects where a config would name a type
  const runner = await createRunner({
    work_dir: workDir,
    env_cfg: { backend: 'cpu' },
    randomness: { seed: 0 },
    model: new LayersModelWrapper({ network, loss: 'meanSquaredError' }),
    train_dataloader: { dataset: train, batch_size: 20, shuffle: true },
    train_cfg: { by_epoch: true, max_epochs: maxEpochs, val_interval: 5 },
    optim_wrapper: { optimizer: { type: 'Adam', lr: 0.01 } },
    val_dataloader: { dataset: val, batch_size: 40 },
    val_cfg: {},
    val_evaluator: new MSE(),
    default_hooks: { logger: { type: 'LoggerHook', interval: 5 }, checkpoint: { type: 'CheckpointHook', interval: 5 } },
  });
  await runner.train();
  const metrics = await runner.val();
  // the network was trained in place: use it as any tfjs model
  const prediction = tf.tidy(() => (network.predict(tf.tensor2d([[1, 1]])) as tf.Tensor).dataSync()[0]);
  await runner.dispose();
  return { metrics, prediction, workDir: runner.workDir };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { metrics, prediction } = await main();
  console.log(metrics, `f(1, 1) = ${prediction.toFixed(3)} (exact: 1.5)`);
}
