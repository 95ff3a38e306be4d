import * as tf from '@tensorflow/tfjs';
import type { DataSample } from '../data/types.js';
import { BaseModel, type ForwardMode } from '../model/base-model.js';
import type { LossDict } from '../model/parse-losses.js';
import type { InitConfig } from '../model/init-cfg.js';

/**
 * The toy model of MMEngine's test seeds: a linear layer on 2 features whose loss dict is
 * `{loss: L, loss_aux: 0.5 * L}` (MSE against the label).
 */
export class ToyModel extends BaseModel {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(opts: { in_features?: number; init_cfg?: InitConfig | null } = {}) {
    super({ init_cfg: opts.init_cfg });
    const n = opts.in_features ?? 2;
    // tf.tidy frees the initial values; the variables survive it
    this.weight = this.addParameter(
      'linear.weight',
      tf.tidy(() => tf.variable(tf.randomNormal([n, 1], 0, 0.5))),
      'Dense',
    );
    this.bias = this.addParameter(
      'linear.bias',
      tf.tidy(() => tf.variable(tf.zeros([1]))),
      'Dense',
    );
  }

  forward(inputs: tf.Tensor, dataSamples: DataSample[] | undefined, mode: ForwardMode): LossDict | DataSample[] | tf.Tensor {
    const out = tf.add(tf.matMul(inputs as tf.Tensor2D, this.weight as tf.Tensor2D), this.bias).reshape([-1]);
    if (mode === 'tensor') return out;
    if (mode === 'loss') {
      const labels = tf.tensor1d((dataSamples ?? []).map((s) => Number(s.gt_label ?? 0)));
      const l = tf.mean(tf.square(tf.sub(out, labels)));
      return { loss: l, loss_aux: tf.mul(l, 0.5) };
    }
    // tensors in the samples are read by predictStep, on any backend
    return (dataSamples ?? []).map((s, i) => ({ ...s, pred_value: tf.reshape(tf.slice(out, [i], [1]), []) }));
  }
}
