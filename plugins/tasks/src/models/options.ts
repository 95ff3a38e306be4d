import * as tf from '@tensorflow/tfjs';
import { type InitConfig, defineOptions, z } from '@trainkit/core';

const preprocessorOptions = z
  .strictObject({
    type: z.string().optional(),
    mean: z.array(z.number()).nullable().optional(),
    std: z.array(z.number()).nullable().optional(),
    scale: z.number().optional(),
  })
  .optional();

export const layersClassifierOptions = defineOptions({
  layers: z.array(z.looseObject({ type: z.string() })).min(1),
  input_shape: z.array(z.number().int().positive()).optional(),
  num_classes: z.number().int().positive().optional(),
  label_smoothing: z.number().min(0).max(1).optional(),
  data_preprocessor: preprocessorOptions,
  // typed here, checked by the model itself (whose errors name MMEngine's other initialisers)
  init_cfg: z.custom<InitConfig | null>(() => true).optional(),
});

export const layersModelWrapperOptions = defineOptions({
  network: z.custom<tf.LayersModel>((v) => v instanceof tf.LayersModel, { message: 'expected a tf.LayersModel (built in a .ts/.js config)' }).optional(),
  layers: z
    .array(z.looseObject({ type: z.string() }))
    .min(1)
    .optional(),
  input_shape: z.array(z.number().int().positive()).optional(),
  loss: z.union([z.string(), z.custom<(...a: unknown[]) => unknown>((v) => typeof v === 'function', { message: 'expected a loss name or a function' })]),
  from_logits: z.boolean().optional(),
  data_preprocessor: preprocessorOptions,
  init_cfg: z.custom<InitConfig | null>(() => true).optional(),
});
