import { defineOptions, z } from '@trainkit/core';

/** One `custom_keys` entry: the multipliers plus anything else, which is copied into the group. */
const customKey = z.looseObject({ lr_mult: z.number().min(0).optional(), decay_mult: z.number().min(0).optional() });

export const paramwiseOptions = defineOptions({
  custom_keys: z.record(z.string(), customKey).optional(),
  bias_lr_mult: z.number().min(0).optional(),
  bias_decay_mult: z.number().min(0).optional(),
  norm_decay_mult: z.number().min(0).optional(),
  dwconv_decay_mult: z.number().min(0).optional(),
  flat_decay_mult: z.number().min(0).optional(),
  /** Deformable convolutions do not exist in TensorFlow.js; accepted so MMEngine configs load. */
  dcn_offset_lr_mult: z.number().min(0).optional(),
  bypass_duplicate: z.boolean().default(false),
});

export type ParamwiseOptions = z.input<typeof paramwiseOptions>;

export const layerDecayOptions = defineOptions({
  num_layers: z.number().int().positive(),
  decay_rate: z.number().positive().default(1),
  decay_type: z.enum(['layer_wise', 'stage_wise', 'layer_wise_vit']).default('layer_wise'),
  /** Which layer-id table to use; by default read from the model's backbone class or its parameter names. */
  backbone: z.enum(['ConvNeXt', 'BEiT', 'MAE', 'ViT']).optional(),
});

/** LayerDecayOptimizerConstructor's older spelling: `layer_decay_rate` for `decay_rate`. */
export const legacyLayerDecayOptions = defineOptions({
  num_layers: z.number().int().positive(),
  layer_decay_rate: z.number().positive(),
  decay_type: z.enum(['layer_wise', 'stage_wise', 'layer_wise_vit']).optional(),
  backbone: z.enum(['ConvNeXt', 'BEiT', 'MAE', 'ViT']).optional(),
});

export type LayerDecayOptions = z.input<typeof layerDecayOptions>;

/** What the runner hands a constructor: the `optim_wrapper` config minus `constructor` and `paramwise_cfg`. */
export const constructorOptions = defineOptions({
  optim_wrapper_cfg: z.record(z.string(), z.unknown()),
  paramwise_cfg: z.record(z.string(), z.unknown()).nullable().optional(),
});

export interface ConstructorArgs {
  optim_wrapper_cfg: Record<string, unknown>;
  paramwise_cfg?: Record<string, unknown> | null;
}
