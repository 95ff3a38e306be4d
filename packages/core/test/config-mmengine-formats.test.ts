import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Config, ConfigError } from '../src/index.js';

// Copies of the cases of MMEngine's tests/data/config (json_config, yaml_config; the Python bases
// as TS configs), with the merged values MMEngine's test_config.py asserts.
const dir = path.join(import.meta.dirname, 'fixtures/config/mmengine');

describe('MMEngine JSON and YAML configs load as MMEngine loads them', () => {
  for (const file of ['json_config/test_base.json', 'yaml_config/test_base.yaml']) {
    it(`${file}: bases merged, unquoted {{ _base_.x }} takes the base value with its type`, async () => {
      const d = (await Config.fromFile(path.join(dir, file))).data;
      expect(d.item1).toEqual([1, 2]);
      expect(d.item2).toEqual({ a: 0 });
      expect(d.item3).toBe(false);
      expect(d.item4).toBe('test');
      expect(d.item5).toEqual({ a: 0, b: 1 });
      expect(d.item6).toEqual([{ a: 0 }, { b: 1 }]);
      expect(d.item7).toEqual({ a: [0, 1, 2], b: { c: [3.1, 4.2, 5.3] } });
      expect(d.item8).toBe(path.basename(file));
      expect(d.item9).toEqual({ a: 0 });
      expect(d.item10).toEqual([3.1, 4.2, 5.3]);
    });
  }

  for (const file of ['json_config/test_base_variables_nested.json', 'yaml_config/test_base_variables_nested.yaml']) {
    it(`${file}: references to a base that itself references its bases`, async () => {
      const d = (await Config.fromFile(path.join(dir, file))).data;
      expect(d.base).toBe('_base_.item8');
      expect(d.item1).toEqual([1, 2]);
      expect(d.item2).toEqual({ a: 0 });
      expect(d.item3).toBe(false);
      expect(d.item4).toBe('test');
      expect(d.item5).toEqual({ a: 0, b: 1 });
      expect(d.item6).toEqual([{ a: 0 }, { b: 1 }]);
      expect(d.item7).toEqual({ a: [0, 1, 2], b: { c: [3.1, 4.2, 5.3] } });
      expect(d.item8).toBe('test_base_variables.ts');
      expect(d.item9).toEqual({ a: 0 });
      expect(d.item10).toEqual([3.1, 4.2, 5.3]);
      expect(d.item11).toBe('test_base_variables.ts');
      expect(d.item12).toEqual({ a: 0 });
      expect(d.item13).toEqual([3.1, 4.2, 5.3]);
      expect(d.item14).toEqual([1, 2]);
      expect(d.item15).toEqual({
        a: { b: { a: 0 } },
        b: [false],
        c: ['test'],
        d: [[{ e: 0 }], [{ a: 0 }, { b: 1 }]],
        e: [1, 2],
      });
    });
  }

  for (const file of ['json_config/test_predefined_var.json', 'yaml_config/test_predefined_var.yaml']) {
    it(`${file}: {{ fileDirname }} is the folder of the file`, async () => {
      const cfg = await Config.fromFile(path.join(dir, file));
      expect(cfg.data.item1).toBe(path.dirname(path.join(dir, file)));
    });
  }

  for (const file of ['json_config/test_reserved_key.json', 'yaml_config/test_reserved_key.yaml']) {
    it(`${file}: the reserved key filename is refused`, async () => {
      const err = await Config.fromFile(path.join(dir, file)).catch((e) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toContain('filename is reserved for config file');
      expect(err.path).toBe('filename');
    });
  }

  for (const file of ['json_config/test_environment_var.json', 'yaml_config/test_environment_var.yaml']) {
    it(`${file}: an unquoted {{$VAR:default}} is replaced in the text and keeps the type it reads as`, async () => {
      for (const k of ['TRAINKIT_NUM_CLASSES', 'TRAINKIT_DATA_ROOT', 'TRAINKIT_NAME']) delete process.env[k];
      let d = (await Config.fromFile(path.join(dir, file))).data;
      expect(d).toEqual({ num_classes: 80, data_root: '/data/images', name: 'toy' });
      process.env.TRAINKIT_NUM_CLASSES = '10';
      process.env.TRAINKIT_DATA_ROOT = '/mnt';
      d = (await Config.fromFile(path.join(dir, file))).data;
      expect(d).toEqual({ num_classes: 10, data_root: '/mnt/images', name: 'toy' });
      for (const k of ['TRAINKIT_NUM_CLASSES', 'TRAINKIT_DATA_ROOT']) delete process.env[k];
    });
  }

  it('a reference inside a quoted string is interpolated; a whole one, quoted or not, keeps its type', async () => {
    const j = (await Config.fromFile(path.join(dir, 'json_config/quoted_and_unquoted.json'))).data;
    expect(j).toEqual({ item3: true, inside_text: 'x: true, [true]', quoted_whole: true, unquoted: true, 'escaped " quote': 'a " b: true' });
    const y = (await Config.fromFile(path.join(dir, 'yaml_config/quoted_and_unquoted.yaml'))).data;
    expect(y).toEqual({ item3: true, inside_text: 'x: true, [true]', plain_text: "it's true", quoted_whole: true, unquoted: true, listed: [true] });
  });

  it('refuses the reserved keys in a config object and through overrides', () => {
    for (const key of ['filename', 'text', 'pretty_text', 'env_variables']) {
      expect(() => Config.fromObject({ [key]: 'x' })).toThrow(`${key} is reserved for config file`);
    }
    expect(() => Config.fromObject({ work_dir: 'w' }).merge({ filename: 'x' })).toThrow('filename is reserved');
  });

  it('records the base keys a child reads as variables of the config', async () => {
    const cfg = await Config.fromFile(path.join(dir, 'json_config/test_base_variables_nested.json'));
    expect([...cfg.variables].sort()).toEqual(['item1', 'item10', 'item2', 'item3', 'item4', 'item5', 'item6', 'item7', 'item8', 'item9']);
  });
});
