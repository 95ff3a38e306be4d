import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, HOOKS, type TrainkitConfig } from '@trainkit/core';
import { findInstalledPlugins, findProvider } from '@trainkit/core/plugin';
import { describe, expect, it } from 'vitest';
import { type CheckpointHook, FilenameTemplate, inferRule } from '../src/index.js';
import { tempDir } from './helpers.js';

const build = (opts: Record<string, unknown>) => HOOKS.build({ type: 'CheckpointHook', ...opts }, {}, 'default_hooks.checkpoint');

describe('CheckpointHook options', () => {
  it('has MMEngine defaults plus save_on_interrupt and async_save', () => {
    const h = build({}) as CheckpointHook;
    expect([h.interval, h.byEpoch, h.saveOptimizer, h.saveParamScheduler, h.maxKeepCkpts, h.saveLast, h.saveBegin]).toEqual([
      -1,
      true,
      true,
      true,
      -1,
      true,
      0,
    ]);
    expect([h.saveOnInterrupt, h.asyncSave]).toEqual([true, false]);
    expect(h.filenameTmpl.format(3)).toBe('epoch_3.safetensors');
    expect((build({ by_epoch: false }) as CheckpointHook).filenameTmpl.format(3)).toBe('iter_3.safetensors');
    expect(h.priority).toBe('VERY_LOW');
  });

  it('rejects bad values with the config path', () => {
    expect(() => build({ save_begin: -1 })).toThrow(/default_hooks\.checkpoint\.save_begin/);
    expect(() => build({ rule: 'bigger', save_best: 'acc' })).toThrow(
      /default_hooks\.checkpoint\.rule: .*rule must be greater, less or None, but got "bigger"\./,
    );
    expect(() => build({ max_keep: 3 })).toThrow(/Did you mean "max_keep_ckpts"/);
    expect(() => build({ save_best: ['auto', 'acc'] })).toThrow(/'auto' must be the only key/);
    expect(() => build({ save_best: ['acc', 'acc'] })).toThrow(/duplicate/);
    expect(() => build({ save_best: ['acc', 'loss'], rule: ['greater'] })).toThrow(/rule has 1 entries but save_best has 2 keys/);
    expect(() => build({ save_best: 'fid' })).toThrow(/Cannot infer the rule for key fid/);
    expect(() => build({ published_keys: ['meta', 'meta'] })).toThrow(/duplicate/);
    expect(() => build({ file_client_args: {}, backend_args: {} })).toThrow(ConfigError);
    expect(() => build({ filename_tmpl: 'ckpt.safetensors' })).toThrow(/exactly one "\{\}" field/);
    expect(() => build({ filename_tmpl: 'ckpt_{:.2f}.safetensors' })).toThrow(/format spec/);
  });

  it('refuses save_best: true (and false) with what to write instead', () => {
    expect(() => build({ save_best: true })).toThrow(
      /^default_hooks\.checkpoint\.save_best: invalid value for CheckpointHook: save_best: true does not say which metric is best: write save_best: 'auto' \(the first metric of the first evaluation\) or the metric's name, e\.g\. 'accuracy\/top1'\n {2}found: true/,
    );
    expect(() => build({ save_best: false })).toThrow(/save_best: false is not a metric: write null \(or leave save_best out\)/);
    expect(() => build({ save_best: 3 })).toThrow(/save_best takes a metric name, a list of names, or 'auto'/);
  });

  it('takes greater_keys / less_keys instead of the defaults', () => {
    expect(() => build({ save_best: 'fid', less_keys: ['fid'] })).not.toThrow();
    expect(() => build({ save_best: 'acc', greater_keys: 'top' })).toThrow(/Cannot infer/);
  });
});

describe('rule inference (seed 12)', () => {
  const g = ['acc', 'top', 'AR@', 'auc', 'precision', 'mAP', 'mDice', 'mIoU', 'mAcc', 'aAcc'];
  const l = ['loss'];
  it('matches exactly, then by substring, greater keys first', () => {
    expect(inferRule('coco/bbox_mAP', g, l)).toBe('greater');
    expect(inferRule('loss', g, l)).toBe('less');
    expect(inferRule('val_loss', g, l)).toBe('less');
    expect(inferRule('top1_loss', g, l)).toBe('greater');
    expect(inferRule('ACC', g, l)).toBe('greater');
    expect(() => inferRule('fid', g, l)).toThrow(/Cannot infer the rule for key fid, thus a specific rule must be specified/);
  });
});

describe('filename_tmpl', () => {
  it('formats like Python str.format for integers', () => {
    expect(new FilenameTemplate('epoch_{}.safetensors').format(7)).toBe('epoch_7.safetensors');
    expect(new FilenameTemplate('ckpt_{:03d}.safetensors').format(5)).toBe('ckpt_005.safetensors');
    expect(new FilenameTemplate('ckpt_{:d}.safetensors').format(12)).toBe('ckpt_12.safetensors');
    expect(new FilenameTemplate('i{:>4}.safetensors').format(12)).toBe('i  12.safetensors');
    expect(new FilenameTemplate('i{:_<4}.safetensors').format(12)).toBe('i12__.safetensors');
    expect(new FilenameTemplate('i{:^5}.safetensors').format(1)).toBe('i  1  .safetensors');
    expect(new FilenameTemplate('i{:+04d}.safetensors').format(7)).toBe('i+007.safetensors');
  });
});

describe('plugin shape', () => {
  it('types its options in TS configs', () => {
    const cfg: TrainkitConfig = {
      default_hooks: { checkpoint: { type: 'CheckpointHook', interval: 2, save_best: ['FID', 'IS'], rule: ['less', 'greater'], async_save: true } },
    };
    // @ts-expect-error: not an option of CheckpointHook
    const bad: TrainkitConfig = { default_hooks: { checkpoint: { type: 'CheckpointHook', max_keep: 3 } } };
    expect([cfg, bad]).toHaveLength(2);
  });

  it('declares what it provides, so core finds it when a config names CheckpointHook', () => {
    const project = tempDir();
    fs.mkdirSync(path.join(project, 'node_modules', '@trainkit'), { recursive: true });
    fs.symlinkSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), path.join(project, 'node_modules', '@trainkit', 'hook-checkpoint'));
    const plugins = findInstalledPlugins([project]);
    expect(findProvider('CheckpointHook', plugins, 'HOOKS')?.name).toBe('@trainkit/hook-checkpoint');
    expect(findProvider('SafetensorsCheckpoint', plugins, 'CHECKPOINT_FORMATS')?.name).toBe('@trainkit/hook-checkpoint');
  });
});
