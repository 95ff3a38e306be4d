import * as tf from '@tensorflow/tfjs';
import { type ParameterInfo, TrainkitError } from '@trainkit/core';

/**
 * The named trainable parameters of whatever the runner hands a constructor: a BaseModel
 * (`parameterInfo()`, with layer classes), a tfjs LayersModel, a name-to-variable record, or a
 * plain list of variables. Frozen variables are buffers in TensorFlow.js (batch-norm
 * statistics), so they are left out.
 */
export function namedParameters(model: unknown): ParameterInfo[] {
  const m = model as { parameterInfo?: () => ParameterInfo[] };
  if (typeof m?.parameterInfo === 'function') return m.parameterInfo().filter((p) => p.trainable);
  if (model instanceof tf.LayersModel) return layersModelParameters(model);
  if (Array.isArray(model) && model.every((v) => v instanceof tf.Variable))
    return (model as tf.Variable[]).filter((v) => v.trainable).map((v) => info(v.name, v));
  if (model && typeof model === 'object' && Object.values(model).length > 0 && Object.values(model).every((v) => v instanceof tf.Variable)) {
    return Object.entries(model as Record<string, tf.Variable>)
      .filter(([, v]) => v.trainable)
      .map(([name, v]) => info(name, v));
  }
  throw new TrainkitError(
    'cannot find the parameters of the model: give a BaseModel (parameterInfo()), a tf.LayersModel, a record of tf.Variable or a list of them',
  );
}

function info(name: string, variable: tf.Variable, module = 'Variable', shortName = name.slice(name.lastIndexOf('.') + 1)): ParameterInfo {
  return { name, variable, module, shortName, trainable: variable.trainable };
}

function layersModelParameters(model: tf.LayersModel): ParameterInfo[] {
  const out: ParameterInfo[] = [];
  model.layers.forEach((layer, i) => {
    const trainable = new Set(layer.trainableWeights);
    for (const w of layer.weights) {
      if (!trainable.has(w)) continue;
      const shortName = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
      const variable = (w as unknown as { read(): tf.Variable }).read();
      out.push(info(`${i}.${shortName}`, variable, layer.getClassName(), shortName));
    }
  });
  return out;
}
