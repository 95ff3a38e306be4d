import type { ParameterInfo } from '@trainkit/core';
import { getLogger } from '@trainkit/core';
import type { z } from '@trainkit/core';
import type { ParamGroupInput } from '../optimizers/optimizer.js';
import { pyValue } from '../util/python-repr.js';
import type { paramwiseOptions } from './options.js';

type Paramwise = z.output<typeof paramwiseOptions>;

const NORM = /(batch|instance|group|layer)norm/i;

/** Batch/instance/group/layer normalisation layers, by their class name. */
export function isNormLayer(module: string): boolean {
  return NORM.test(module);
}

/** A depthwise convolution's weights (PyTorch: Conv2d with groups == in_channels). */
export function isDepthwise(p: ParameterInfo): boolean {
  return p.module === 'DepthwiseConv2D' || (p.module === 'SeparableConv2D' && p.shortName === 'depthwise_kernel');
}

/**
 * custom_keys in MMEngine's order: longest first, ties alphabetically. A key matches a parameter
 * when it is a substring of the parameter's full name.
 */
export function sortedCustomKeys(customKeys: Record<string, unknown>): string[] {
  return Object.keys(customKeys).sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The name custom keys are matched against: MMEngine joins the module path and the parameter
 * name with a dot, so a top-level parameter reads `.cls_token`.
 */
export function matchName(name: string): string {
  return name.includes('.') ? name : `.${name}`;
}

/**
 * One param group per parameter with MMEngine's paramwise rules: a matching custom key wins and
 * its entry is copied into the group; otherwise bias lr, then the first of norm / bias /
 * depthwise / flat decay that applies. Logs `paramwise_options -- <name>:<key>=<value>` per override.
 */
export function paramwiseGroups(params: ParameterInfo[], cfg: Paramwise, baseLr: number, baseWd: number | undefined): ParamGroupInput[] {
  const logger = getLogger();
  const customKeys = cfg.custom_keys ?? {};
  const keys = sortedCustomKeys(customKeys);
  if (cfg.dcn_offset_lr_mult !== undefined) logger.warn('paramwise_cfg.dcn_offset_lr_mult has no effect: TensorFlow.js has no deformable convolutions');
  const groups: ParamGroupInput[] = [];
  const seen = new Set<unknown>();
  for (const p of params) {
    if (cfg.bypass_duplicate && seen.has(p.variable)) {
      logger.warn(`${p.name} is duplicate. It is skipped since bypass_duplicate=True`);
      continue;
    }
    seen.add(p.variable);
    const group: ParamGroupInput = { params: [p.variable] };
    const full = matchName(p.name);
    const key = keys.find((k) => full.includes(k));
    if (key !== undefined) {
      const entry = customKeys[key];
      group.lr = baseLr * (entry.lr_mult ?? 1);
      if (baseWd !== undefined) group.weight_decay = baseWd * (entry.decay_mult ?? 1);
      for (const [k, v] of Object.entries(entry)) group[k] = v;
    } else {
      const norm = isNormLayer(p.module);
      const bias = p.shortName === 'bias';
      if (bias && !norm && cfg.bias_lr_mult !== undefined) group.lr = baseLr * cfg.bias_lr_mult;
      if (baseWd !== undefined) {
        if (norm && cfg.norm_decay_mult !== undefined) group.weight_decay = baseWd * cfg.norm_decay_mult;
        else if (bias && cfg.bias_decay_mult !== undefined) group.weight_decay = baseWd * cfg.bias_decay_mult;
        else if (isDepthwise(p) && cfg.dwconv_decay_mult !== undefined) group.weight_decay = baseWd * cfg.dwconv_decay_mult;
        else if (p.variable.rank === 1 && cfg.flat_decay_mult !== undefined) group.weight_decay = baseWd * cfg.flat_decay_mult;
      }
    }
    groups.push(group);
    for (const [k, v] of Object.entries(group)) if (k !== 'params') logger.info(`paramwise_options -- ${p.name}:${k}=${pyValue(v)}`);
  }
  return groups;
}
