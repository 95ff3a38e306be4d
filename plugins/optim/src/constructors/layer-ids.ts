/**
 * mmsegmentation's layer ids for layer-wise learning-rate decay: the embedding gets 0, each
 * block its depth, heads the last id. Parameter names are the model's full names.
 */
const TOKENS = new Set(['backbone.cls_token', 'backbone.mask_token', 'backbone.pos_embed']);

/** ConvNeXt, layer-wise: stages 0-1 are one layer each, stage 2 counts blocks in threes. */
export function layerIdForConvNeXt(name: string, maxLayerId: number): number {
  if (TOKENS.has(name)) return 0;
  const parts = name.split('.');
  if (name.startsWith('backbone.downsample_layers')) {
    const stage = Number(parts[2]);
    return [0, 2, 3, maxLayerId][stage] ?? maxLayerId;
  }
  if (name.startsWith('backbone.stages')) {
    const stage = Number(parts[2]);
    const block = Number(parts[3]);
    if (stage === 0) return 1;
    if (stage === 1) return 2;
    if (stage === 2) return 3 + Math.floor(block / 3);
    return maxLayerId;
  }
  return maxLayerId + 1;
}

/** ConvNeXt, stage-wise: tokens and downsampling 0, stage S is S + 1, heads the last id. */
export function stageIdForConvNeXt(name: string, maxStageId: number): number {
  if (TOKENS.has(name) || name.startsWith('backbone.downsample_layers')) return 0;
  if (name.startsWith('backbone.stages')) return Number(name.split('.')[2]) + 1;
  return maxStageId - 1;
}

/** ViT-style backbones (BEiT, MAE): tokens and patch embedding 0, block i is i + 1, heads the last id. */
export function layerIdForViT(name: string, maxLayerId: number): number {
  if (TOKENS.has(name) || name.startsWith('backbone.patch_embed')) return 0;
  if (name.startsWith('backbone.layers')) return Number(name.split('.')[2]) + 1;
  return maxLayerId - 1;
}
