// examples/guides/src/own-loop.ts
import * as tf from '@tensorflow/tfjs';
import { Accuracy, LayersModelWrapper } from '@trainkit/tasks';
import { DataLoader, TensorDataset } from '@trainkit/core/data';
import { Evaluator, LOOPS, type Runner, type TrainLoop, createRunner, defineOptions, z } from '@trainkit/core';
import { Adam, OptimWrapper } from '@trainkit/optim';
import '@trainkit/hook-logger';

/** Two Gaussian blobs, class 0 around (-1, -1) and class 1 around (1, 1). */
function blobs(n: number, seed: number): TensorDataset {
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const x = tf.tidy(() => tf.add(tf.tensor2d(labels.map((l) => [2 * l - 1, 2 * l - 1])), tf.randomNormal([n, 2], 0, 0.5, 'float32', seed)));
  const data = new TensorDataset(x, labels, { target: 'gt_label' });
  x.dispose();
  return data;
}

const classifier = () =>
  new LayersModelWrapper({
    network: tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 8, activation: 'relu' }), tf.layers.dense({ units: 2 })] }),
    loss: 'sparseCategoricalCrossentropy',
    from_logits: true,
  });

// A. Your own loop, no Runner: the model, an optimizer wrapper, data loaders and an evaluator.
export async function plainLoop(epochs = 10) {
  const model = classifier();
  const params = model.namedParameters().map(([, v]) => v);
  const optim = new OptimWrapper({ optimizer: new Adam({ params, lr: 0.05 }) });
  const train = new DataLoader({ dataset: blobs(200, 1), batch_size: 20, shuffle: true });
  const val = new DataLoader({ dataset: blobs(100, 2), batch_size: 50 });
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    train.sampler.setEpoch?.(epoch); // a new shuffle each epoch
    model.train();
    for await (const batch of train) {
      // one step: forward in 'loss' mode, backward, optimizer step; returns the log vars
      const logVars = await model.trainStep(batch, optim); // a promise only in a distributed run, awaiting is always right
      losses.push(logVars.loss.dataSync()[0]);
      tf.dispose(Object.values(logVars));
    }
  }
  model.eval();
  const evaluator = new Evaluator([new Accuracy()]);
  for await (const batch of val) evaluator.process(await model.valStep(batch), batch);
  const metrics = evaluator.evaluate(val.dataset.length);
  optim.dispose();
  model.dispose();
  return { metrics, firstLoss: losses[0], lastLoss: losses[losses.length - 1] };
}

// B. Your own loop inside the Runner: a LOOPS type that train_cfg names, hooks included.
export class UntilLossTrainLoop implements TrainLoop {
  readonly runner: Runner;
  readonly dataloader: DataLoader;
  readonly targetLoss: number;
  readonly maxIters: number;
  readonly maxEpochs = 1;
  epoch = 0;
  iter = 0;
  stopTraining = false;

  constructor(opts: { runner: Runner; dataloader: DataLoader; target_loss: number; max_iters: number }) {
    this.runner = opts.runner;
    this.dataloader = opts.dataloader;
    this.targetLoss = opts.target_loss;
    this.maxIters = opts.max_iters;
  }

  /** Trains until one batch's loss is below target_loss (or max_iters), calling the hooks. */
  async run(): Promise<void> {
    const runner = this.runner;
    await runner.callHook('beforeTrain');
    await runner.callHook('beforeTrainEpoch');
    runner.model.train();
    let batches = this.dataloader.batches();
    while (this.iter < this.maxIters && !this.stopTraining && !runner.stopRequested) {
      let batch = await batches.next();
      if (!batch) {
        batches = this.dataloader.batches(); // start the next pass
        batch = await batches.next();
        if (!batch) throw new Error('the train dataloader is empty');
      }
      await runner.callHook('beforeTrainIter', this.iter, batch);
      const outputs = await runner.model.trainStep(batch, runner.optimWrapper!);
      const loss = outputs.loss.dataSync()[0];
      await runner.callHook('afterTrainIter', this.iter, batch, outputs);
      tf.dispose(Object.values(outputs)); // hooks have read them: the loop frees them
      this.iter++;
      if (loss < this.targetLoss) this.stopTraining = true;
    }
    await runner.callHook('afterTrainEpoch');
    await runner.callHook('afterTrain');
  }
}

LOOPS.register('UntilLossTrainLoop', UntilLossTrainLoop, {
  options: defineOptions({ target_loss: z.number().positive(), max_iters: z.number().int().positive() }),
});

export async function customLoop(workDir = './work_dirs/own-loop') {
  const runner = await createRunner({
    work_dir: workDir,
    env_cfg: { backend: 'cpu' },
    randomness: { seed: 0 },
    model: classifier(),
    train_dataloader: { dataset: blobs(200, 1), batch_size: 20, shuffle: true },
    train_cfg: { type: 'UntilLossTrainLoop', target_loss: 0.05, max_iters: 2000 },
    optim_wrapper: { optimizer: { type: 'Adam', lr: 0.05 } },
    log_processor: { by_epoch: false },
    default_hooks: { checkpoint: null, logger: { type: 'LoggerHook', interval: 20 } },
  });
  await runner.train();
  const iters = runner.iter;
  await runner.dispose();
  return { iters };
}

export async function main(workDir = './work_dirs/own-loop') {
  return { plain: await plainLoop(), custom: await customLoop(workDir) };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main());
