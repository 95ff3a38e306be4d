import { ConfigError, type ParameterInfo, getLogger, parseOptions, type z } from '@trainkit/core';
import type { ParamGroupInput } from '../optimizers/optimizer.js';
import { optimizerConfig, resolvedOptimizerOptions } from './build-optimizer.js';
import { DefaultOptimWrapperConstructor } from './default-constructor.js';
import { layerIdForConvNeXt, layerIdForViT, stageIdForConvNeXt } from './layer-ids.js';
import { type ConstructorArgs, layerDecayOptions, legacyLayerDecayOptions } from './options.js';

const PATH = 'optim_wrapper.paramwise_cfg';

type LayerDecay = z.output<typeof layerDecayOptions>;
type BackboneKind = 'ConvNeXt' | 'ViT';

/**
 * mmsegmentation's LearningRateDecayOptimizerConstructor: parameters are grouped by layer id
 * and by decay / no decay (1-D tensors and biases), and layer `i` of `num_layers + 2` gets
 * `lr = base_lr * decay_rate ** (num_layers + 1 - i)`, so the head trains at the full rate and
 * the embedding at the smallest.
 */
export class LearningRateDecayOptimizerConstructor extends DefaultOptimWrapperConstructor {
  private model: unknown;

  constructor(args: ConstructorArgs) {
    super(args);
    this.decayCfg();
  }

  /** The multipliers of the default constructor do not apply; only the optimizer must be there. */
  protected override validate(wrapperCfg: Record<string, unknown>, path: string): void {
    optimizerConfig(wrapperCfg, path);
  }

  protected decayCfg(): LayerDecay {
    return parseOptions(layerDecayOptions, this.paramwiseCfg, PATH, 'paramwise_cfg');
  }

  override build(model: unknown) {
    this.model = model;
    return super.build(model);
  }

  protected override addParams(params: ParameterInfo[], optimizerCfg: Record<string, unknown>, optimizerPath: string): ParamGroupInput[] {
    const cfg = this.decayCfg();
    const logger = getLogger();
    const resolved = resolvedOptimizerOptions(optimizerCfg, optimizerPath);
    const baseLr = Number(resolved.lr);
    const baseWd = Number(optimizerCfg.weight_decay ?? resolved.weight_decay ?? 0);
    const numLayers = cfg.num_layers + 2;
    logger.info(`Build LearningRateDecayOptimizerConstructor ${cfg.decay_type} ${cfg.decay_rate} - ${numLayers}`);
    const kind = backboneKind(cfg, this.model, params);
    const groups = new Map<string, ParamGroupInput & { param_names: string[] }>();
    for (const p of params) {
      const noDecay = p.variable.rank === 1 || p.name.endsWith('.bias') || p.name === 'pos_embed' || p.name === 'cls_token';
      let layerId: number;
      if (cfg.decay_type.includes('layer_wise')) layerId = kind === 'ConvNeXt' ? layerIdForConvNeXt(p.name, cfg.num_layers) : layerIdForViT(p.name, numLayers);
      else if (kind === 'ConvNeXt') layerId = stageIdForConvNeXt(p.name, numLayers);
      else
        throw new ConfigError('decay_type stage_wise is only defined for ConvNeXt backbones', {
          path: `${PATH}.decay_type`,
          fix: "use decay_type: 'layer_wise' for ViT-style backbones",
        });
      logger.info(`set param ${p.name} as id ${layerId}`);
      const groupName = `layer_${layerId}_${noDecay ? 'no_decay' : 'decay'}`;
      let group = groups.get(groupName);
      if (!group) {
        const scale = cfg.decay_rate ** (numLayers - layerId - 1);
        group = { weight_decay: noDecay ? 0 : baseWd, params: [], param_names: [], lr_scale: scale, group_name: groupName, lr: scale * baseLr };
        groups.set(groupName, group);
      }
      group.params.push(p.variable);
      group.param_names.push(p.name);
    }
    const display = Object.fromEntries(
      [...groups].map(([k, g]) => [k, { param_names: g.param_names, lr_scale: g.lr_scale, lr: g.lr, weight_decay: g.weight_decay }]),
    );
    logger.info(`Param groups = ${JSON.stringify(display, null, 2)}`);
    return [...groups.values()];
  }
}

/**
 * The older BEiT spelling: `layer_decay_rate` instead of `decay_rate`, layer ids of a ViT.
 * Kept for configs that still use it, with deprecation warnings as in mmsegmentation.
 */
export class LayerDecayOptimizerConstructor extends LearningRateDecayOptimizerConstructor {
  constructor(args: ConstructorArgs) {
    const legacy = parseOptions(legacyLayerDecayOptions, args.paramwise_cfg ?? {}, PATH, 'paramwise_cfg');
    const logger = getLogger();
    logger.warn(
      'DeprecationWarning: LayerDecayOptimizerConstructor is the old BEiT name; use LearningRateDecayOptimizerConstructor with decay_type: layer_wise_vit',
    );
    logger.warn('DeprecationWarning: paramwise_cfg.layer_decay_rate is the old name of decay_rate');
    const { layer_decay_rate, ...rest } = legacy;
    super({ ...args, paramwise_cfg: { ...rest, decay_type: 'layer_wise_vit', decay_rate: layer_decay_rate } });
  }
}

/** Which id table applies: the paramwise `backbone` option, the backbone's class, or the names. */
function backboneKind(cfg: LayerDecay, model: unknown, params: ParameterInfo[]): BackboneKind {
  const fromName = (n: string): BackboneKind | undefined => (/ConvNeXt/i.test(n) ? 'ConvNeXt' : /BEiT|MAE|ViT|VisionTransformer/i.test(n) ? 'ViT' : undefined);
  if (cfg.backbone) return fromName(cfg.backbone)!;
  const backbone = (model as { backbone?: { typeName?: string; constructor?: { name?: string } } } | undefined)?.backbone;
  const cls = backbone?.typeName ?? backbone?.constructor?.name;
  const byClass = cls ? fromName(cls) : undefined;
  if (byClass) return byClass;
  if (params.some((p) => p.name.startsWith('backbone.stages') || p.name.startsWith('backbone.downsample_layers'))) return 'ConvNeXt';
  if (params.some((p) => p.name.startsWith('backbone.layers') || p.name.startsWith('backbone.patch_embed'))) return 'ViT';
  throw new ConfigError('layer-wise lr decay knows ConvNeXt and ViT-style (BEiT, MAE) backbones, and this model looks like neither', {
    path: `${PATH}.backbone`,
    fix: "name parameters as those backbones do (backbone.layers.<i>.*, backbone.stages.<s>.*), or set paramwise_cfg.backbone: 'ViT' | 'ConvNeXt'",
  });
}
