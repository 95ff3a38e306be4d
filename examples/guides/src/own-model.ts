// examples/guides/src/own-model.ts
import * as tf from '@tensorflow/tfjs';
import {
  ArrayDataset,
  BaseModel,
  type BaseModelOptions,
  type DataSample,
  type ForwardMode,
  type LossDict,
  MODELS,
  createRunner,
  defineOptions,
  z,
} from '@trainkit/core';
import '@trainkit/optim';
import '@trainkit/tasks';
import '@trainkit/hook-logger';

export interface LinearRegressorOptions extends BaseModelOptions {
  in_features: number;
}

/**
 * y = x W + b with raw variables. forward() is the whole contract: 'loss' returns named
 * losses (keys containing "loss" are summed and logged), 'predict' returns one data sample per
 * input with the prediction, 'tensor' the raw output.
 */
export class LinearRegressor extends BaseModel {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(opts: LinearRegressorOptions) {
    super(opts);
    // registered variables are what optimizers update and checkpoints save, under these names
    this.weight = this.addParameter('weight', tf.variable(tf.zeros([opts.in_features, 1]), true, 'linear_weight'));
    this.bias = this.addParameter('bias', tf.variable(tf.zeros([1]), true, 'linear_bias'));
  }

  forward(inputs: tf.Tensor, samples: DataSample[] | undefined, mode: ForwardMode): LossDict | DataSample[] | tf.Tensor {
    const out = tf.add(tf.matMul(inputs as tf.Tensor2D, this.weight), this.bias);
    if (mode === 'tensor') return out;
    if (mode === 'loss') {
      const target = tf.tensor2d((samples ?? []).map((s) => [s.gt_value as number]));
      return { loss_mse: tf.losses.meanSquaredError(target, out) };
    }
    // predict: runs inside tf.tidy; reading values here is simplest (see the guide for async reads)
    const values = out.dataSync();
    return (samples ?? []).map((s, i) => ({ ...s, pred_value: values[i] }));
  }
}

MODELS.register('LinearRegressor', LinearRegressor, { options: defineOptions({ in_features: z.number().int().positive() }) });

/** Points on y = 2 x0 - x1 + 3 (no noise), as items with gt_value. */
function line(n: number, offset: number) {
  return Array.from({ length: n }, (_, i) => {
    const x0 = Math.sin(i + offset);
    const x1 = Math.cos(3 * i + offset);
    return { inputs: { data: Float32Array.of(x0, x1), shape: [2] }, data_samples: { gt_value: 2 * x0 - x1 + 3 } };
  });
}

export async function main(workDir = './work_dirs/own-model') {
  const runner = await createRunner({
    work_dir: workDir,
    env_cfg: { backend: 'cpu' },
    model: { type: 'LinearRegressor', in_features: 2 },
    train_dataloader: { dataset: new ArrayDataset(line(100, 0)), batch_size: 10 },
    train_cfg: { max_epochs: 30 },
    optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 } },
    val_dataloader: { dataset: new ArrayDataset(line(20, 0.5)), batch_size: 20 },
    val_cfg: {},
    val_evaluator: [{ type: 'MSE' }, { type: 'MAE' }],
    default_hooks: { checkpoint: null, logger: { type: 'LoggerHook', interval: 10 } },
  });
  await runner.train();
  const metrics = await runner.val();
  const model = runner.model as LinearRegressor;
  const learned = { weight: Array.from(model.weight.dataSync()), bias: model.bias.dataSync()[0] };
  await runner.dispose();
  return { metrics, learned };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main());
