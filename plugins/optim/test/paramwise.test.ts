import * as tf from '@tensorflow/tfjs';
import { BaseModel, type ForwardMode, type LossDict, type ParameterInfo } from '@trainkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import {
  LayerDecayOptimizerConstructor,
  LearningRateDecayOptimizerConstructor,
  type OptimWrapper,
  layerIdForConvNeXt,
  layerIdForViT,
  sortedCustomKeys,
  stageIdForConvNeXt,
} from '../src/index.js';
import { buildWrapper } from './helpers/fixtures.js';
import { captureLogs } from './helpers/logs.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let n = 0;
function param(name: string, shape: number[], module: string): ParameterInfo {
  return { name, variable: tf.variable(tf.zeros(shape), true, `pw_${n++}`), module, shortName: name.slice(name.lastIndexOf('.') + 1), trainable: true };
}

/** MMEngine's seed 37 model: Sequential(Conv2d(3,4,3), BatchNorm2d(4), Conv2d(4,4,3,groups=4), Linear(2,2)). */
function seed37Model(): { parameterInfo(): ParameterInfo[]; dispose(): void } {
  const params = [
    param('0.weight', [4, 3, 3, 3], 'Conv2D'),
    param('0.bias', [4], 'Conv2D'),
    param('1.weight', [4], 'BatchNormalization'),
    param('1.bias', [4], 'BatchNormalization'),
    param('2.weight', [4, 1, 3, 3], 'DepthwiseConv2D'),
    param('2.bias', [4], 'DepthwiseConv2D'),
    param('3.weight', [2, 2], 'Dense'),
    param('3.bias', [2], 'Dense'),
  ];
  return { parameterInfo: () => params, dispose: () => params.forEach((p) => void p.variable.dispose()) };
}

const seed37Cfg = {
  bias_lr_mult: 2,
  bias_decay_mult: 0,
  norm_decay_mult: 0,
  dwconv_decay_mult: 0.5,
  custom_keys: { '3': { lr_mult: 0.1, decay_mult: 3.0 }, '3.w': { lr_mult: 5 } },
};

describe('DefaultOptimWrapperConstructor paramwise_cfg (seed 37)', () => {
  it('gives every parameter its group with MMEngine precedence', () => {
    const model = seed37Model();
    let wrapper!: OptimWrapper;
    const lines = captureLogs(() => {
      wrapper = buildWrapper({ optimizer: { type: 'SGD', lr: 0.1, momentum: 0.9, weight_decay: 1e-4 } }, model as never, seed37Cfg);
    });
    const groups = wrapper.optimizer.paramGroups.map((g) => [g.lr, g.weight_decay]);
    const want = [
      [0.1, 1e-4],
      [0.2, 0],
      [0.1, 0],
      [0.1, 0],
      [0.1, 5e-5],
      [0.2, 0],
      [0.5, 1e-4],
      [0.01, 3e-4],
    ];
    groups.forEach(([lr, wd], i) => {
      expect(lr, `group ${i} lr`).toBeCloseTo(want[i][0], 12);
      expect(wd, `group ${i} weight_decay`).toBeCloseTo(want[i][1], 12);
    });
    expect(wrapper.optimizer.paramGroups[6].lr_mult).toBe(5);
    expect(wrapper.optimizer.paramGroups[7]).toMatchObject({ lr_mult: 0.1, decay_mult: 3 });
    const lr = wrapper.getLr();
    expect(lr.base_lr).toEqual([0.1]);
    lr.lr.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i][0], 12);
    });
    expect(wrapper.stateDict().base_param_settings).toMatchObject({ lr: 0.1, momentum: 0.9, weight_decay: 1e-4 });
    expect(lines.some((l) => l.endsWith('paramwise_options -- 0.bias:lr=0.2'))).toBe(true);
    expect(lines.some((l) => l.endsWith('paramwise_options -- 2.weight:weight_decay=5e-05'))).toBe(true);
    expect(lines.some((l) => l.endsWith('paramwise_options -- 3.weight:lr_mult=5.0'))).toBe(true);
    wrapper.dispose();
    model.dispose();
  });

  it('sorts custom keys longest first, then alphabetically, and matches top-level names with a leading dot', () => {
    expect(sortedCustomKeys({ b: {}, '3': {}, '3.w': {}, a: {}, head: {} })).toEqual(['head', '3.w', '3', 'a', 'b']);
    const cls = param('cls_token', [1, 4], 'Variable');
    const other = param('encoder.cls_tokens', [4], 'Variable');
    const plain = param('head.token', [4], 'Variable');
    const model = { parameterInfo: () => [cls, other, plain] };
    const wrapper = buildWrapper({ optimizer: { type: 'AdamW', lr: 1, weight_decay: 0.05 } }, model as never, {
      custom_keys: { '.cls_token': { decay_mult: 0 } },
    });
    // a substring match, as in MMEngine: '.cls_token' is inside 'encoder.cls_tokens' too
    expect(wrapper.optimizer.paramGroups.map((g) => g.weight_decay)).toEqual([0, 0, 0.05]);
    wrapper.dispose();
    for (const p of [cls, other, plain]) p.variable.dispose();
  });

  it('reads tfjs-layers models: norm layers, depthwise kernels and biases by layer class, buffers left out', () => {
    class Net extends BaseModel {
      readonly net = this.addLayersModel(
        'net',
        tf.sequential({
          layers: [
            tf.layers.conv2d({ inputShape: [6, 6, 3], filters: 4, kernelSize: 3 }),
            tf.layers.batchNormalization(),
            tf.layers.depthwiseConv2d({ kernelSize: 3 }),
            tf.layers.flatten(),
            tf.layers.dense({ units: 2 }),
          ],
        }),
      );
      forward(_i: tf.Tensor, _d: unknown, _m: ForwardMode): LossDict {
        return {};
      }
    }
    const model = new Net();
    const wrapper = buildWrapper({ optimizer: { type: 'SGD', lr: 1, weight_decay: 1 } }, model as never, {
      bias_lr_mult: 2,
      norm_decay_mult: 0,
      dwconv_decay_mult: 0.5,
      flat_decay_mult: 0.25,
    });
    const byName = Object.fromEntries(
      model
        .parameterInfo()
        .filter((p) => p.trainable)
        .map((p, i) => [p.name, wrapper.optimizer.paramGroups[i]]),
    );
    expect(Object.keys(byName)).toEqual([
      'net.0.kernel',
      'net.0.bias',
      'net.1.gamma',
      'net.1.beta',
      'net.2.depthwise_kernel',
      'net.2.bias',
      'net.4.kernel',
      'net.4.bias',
    ]);
    expect(wrapper.optimizer.paramGroups).toHaveLength(8);
    expect(byName['net.1.gamma']).toMatchObject({ lr: 1, weight_decay: 0 });
    expect(byName['net.2.depthwise_kernel']).toMatchObject({ lr: 1, weight_decay: 0.5 });
    expect(byName['net.4.bias']).toMatchObject({ lr: 2, weight_decay: 0.25 });
    wrapper.dispose();
    model.dispose();
  });

  it('skips shared variables with bypass_duplicate, and PyTorch refuses them otherwise', () => {
    const p = param('a.weight', [2], 'Dense');
    const model = { parameterInfo: () => [p, { ...p, name: 'b.weight' }] };
    const lines = captureLogs(() => {
      const w = buildWrapper({ optimizer: { type: 'SGD', lr: 1 } }, model as never, { bypass_duplicate: true });
      expect(w.optimizer.paramGroups).toHaveLength(1);
      w.dispose();
    });
    expect(lines.some((l) => l.includes('b.weight is duplicate. It is skipped since bypass_duplicate=True'))).toBe(true);
    expect(() => buildWrapper({ optimizer: { type: 'SGD', lr: 1 } }, model as never, { bias_lr_mult: 1 })).toThrow(
      /more than one parameter group[\s\S]*bypass_duplicate/,
    );
    p.variable.dispose();
  });

  it('needs the optimizer weight_decay for decay multipliers', () => {
    const model = seed37Model();
    expect(() => buildWrapper({ optimizer: { type: 'SGD', lr: 0.1 } }, model as never, { norm_decay_mult: 0 })).toThrow(
      /optim_wrapper\.paramwise_cfg\.norm_decay_mult: .*base_wd should not be None[\s\S]*fix: set optim_wrapper\.optimizer\.weight_decay/,
    );
    expect(() => buildWrapper({ optimizer: { type: 'SGD', lr: 0.1 } }, model as never, { custom_keys: { head: { decay_mult: 0 } } })).toThrow(
      /paramwise_cfg\.custom_keys\.head\.decay_mult/,
    );
    expect(() => buildWrapper({ optimizer: { type: 'SGD', lr: 0.1 } }, model as never, { bias_lr_mul: 2 })).toThrow(
      /optim_wrapper\.paramwise_cfg\.bias_lr_mul: unknown option "bias_lr_mul" for paramwise_cfg\. Did you mean "bias_lr_mult"/,
    );
    model.dispose();
  });
});

describe('layer-wise learning-rate decay (spec 7.6, seed 40)', () => {
  function beit(): { parameterInfo(): ParameterInfo[]; dispose(): void } {
    const params = [
      param('backbone.cls_token', [1, 1, 4], 'Variable'),
      param('backbone.patch_embed.projection.weight', [4, 3, 2, 2], 'Conv2D'),
      param('backbone.layers.0.attn.qkv.weight', [4, 12], 'Dense'),
      param('backbone.layers.0.attn.qkv.bias', [12], 'Dense'),
      param('backbone.layers.11.ffn.weight', [4, 4], 'Dense'),
      param('decode_head.conv_seg.weight', [4, 2], 'Dense'),
    ];
    return { parameterInfo: () => params, dispose: () => params.forEach((p) => void p.variable.dispose()) };
  }

  it('BEiT with 12 layers and rate 0.9: tokens 0.9^13, layer 0 0.9^12, layer 11 0.9, head 1', () => {
    const model = beit();
    const wrapper = new LearningRateDecayOptimizerConstructor({
      optim_wrapper_cfg: { optimizer: { type: 'AdamW', lr: 1, weight_decay: 0.05 } },
      paramwise_cfg: { num_layers: 12, decay_rate: 0.9, decay_type: 'layer_wise' },
    }).build(model) as OptimWrapper;
    const lrOf = (name: string) => wrapper.optimizer.paramGroups.find((g) => (g.param_names as string[]).includes(name))!;
    expect(lrOf('backbone.cls_token').lr).toBeCloseTo(0.254187, 6);
    expect(lrOf('backbone.layers.0.attn.qkv.weight').lr).toBeCloseTo(0.28243, 5);
    expect(lrOf('backbone.layers.11.ffn.weight').lr).toBeCloseTo(0.9, 12);
    expect(lrOf('decode_head.conv_seg.weight').lr).toBe(1);
    expect(lrOf('backbone.layers.0.attn.qkv.bias')).toMatchObject({ group_name: 'layer_1_no_decay', weight_decay: 0 });
    expect(lrOf('backbone.layers.0.attn.qkv.weight')).toMatchObject({ group_name: 'layer_1_decay', weight_decay: 0.05 });
    wrapper.dispose();
    model.dispose();
  });

  it('LayerDecayOptimizerConstructor takes layer_decay_rate and warns that it is deprecated', () => {
    const model = beit();
    let wrapper!: OptimWrapper;
    const lines = captureLogs(() => {
      wrapper = new LayerDecayOptimizerConstructor({
        optim_wrapper_cfg: { optimizer: { type: 'AdamW', lr: 1, weight_decay: 0.05 } },
        paramwise_cfg: { num_layers: 12, layer_decay_rate: 0.9 },
      }).build(model) as OptimWrapper;
    });
    expect(lines.filter((l) => l.includes('DeprecationWarning'))).toHaveLength(2);
    expect(wrapper.optimizer.paramGroups[0].lr).toBeCloseTo(0.9 ** 13, 12);
    wrapper.dispose();
    model.dispose();
  });

  it('layer ids of ConvNeXt and ViT backbones', () => {
    expect(layerIdForConvNeXt('backbone.downsample_layers.1.0.weight', 12)).toBe(2);
    expect(layerIdForConvNeXt('backbone.stages.2.7.dwconv.weight', 12)).toBe(5);
    expect(layerIdForConvNeXt('backbone.stages.3.0.weight', 12)).toBe(12);
    expect(layerIdForConvNeXt('decode_head.x', 12)).toBe(13);
    expect(stageIdForConvNeXt('backbone.stages.1.0.weight', 14)).toBe(2);
    expect(stageIdForConvNeXt('neck.x', 14)).toBe(13);
    expect(layerIdForViT('backbone.patch_embed.proj.weight', 14)).toBe(0);
    expect(layerIdForViT('backbone.layers.3.x', 14)).toBe(4);
  });

  it('explains what it needs when the backbone is not recognised', () => {
    const p = param('encoder.w', [2, 2], 'Dense');
    expect(() =>
      new LearningRateDecayOptimizerConstructor({ optim_wrapper_cfg: { optimizer: { type: 'SGD', lr: 1 } }, paramwise_cfg: { num_layers: 2 } }).build({
        parameterInfo: () => [p],
      }),
    ).toThrow(/optim_wrapper\.paramwise_cfg\.backbone[\s\S]*fix:/);
    p.variable.dispose();
  });
});
