import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Config, ConfigError } from '../src/index.js';
import { mergeFromDict, parseCfgOption, parseOptionValue } from '../src/public/config.js';

const fixtures = path.join(import.meta.dirname, 'fixtures/config');

describe('Config files and inheritance (MMEngine seed 39)', () => {
  it('merges bases in order, applies _delete_, base references and predefined variables', async () => {
    const cfg = await Config.fromFile(path.join(fixtures, 'sub/child.ts'));
    const d = cfg.data as Record<string, any>;
    expect(d.model.head).toEqual({ num_classes: 10, loss: { type: 'CE' } });
    expect(d.model.depth).toBe(50);
    expect(d.optim_wrapper.optimizer).toEqual({ type: 'Adam', lr: 0.001 });
    expect(d.a).toBe(0.1);
    expect(d.b).toEqual({ num_classes: 1000, loss: { type: 'CE' } });
    expect(d.c).toBe(24);
    expect(d.work_dir).toBe('./work_dirs/child');
    expect(d.train_cfg).toEqual({ by_epoch: true, max_epochs: 12 });
    expect(JSON.stringify(d)).not.toContain('_delete_');
  });

  it('rejects the same key in two bases', async () => {
    await expect(Config.fromFile(path.join(fixtures, 'dup.json'))).rejects.toThrow(/Duplicate key is not allowed among bases: "model"/);
  });

  it('explains how to replace a base value that is not a dict', async () => {
    const err = await Config.fromFile(path.join(fixtures, 'bad-inherit.json')).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('bad-inherit.json: lr');
    expect(err.message).toContain('_delete_: true');
  });

  it('names the missing _base_ file, the file listing it, and the fix', async () => {
    const err = await Config.fromFile(path.join(fixtures, 'missing-base.json')).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('missing-base.json: _base_');
    expect(err.message).toContain('does-not-exist.json');
    expect(err.message).toContain('relative to the folder');
  });

  it('substitutes environment variables with defaults', async () => {
    delete process.env.TRAINKIT_TEST_DIR;
    let cfg = await Config.fromFile(path.join(fixtures, 'env.yaml'));
    expect(cfg.data.work_dir).toBe('/tmp/default/run');
    expect(cfg.data.name).toBe('env.yaml');
    process.env.TRAINKIT_TEST_DIR = '/data';
    cfg = await Config.fromFile(path.join(fixtures, 'env.yaml'));
    expect(cfg.data.work_dir).toBe('/data/run');
    delete process.env.TRAINKIT_TEST_DIR;
  });

  it('refuses unsupported file types and missing files with a fix', async () => {
    await expect(Config.fromFile(path.join(fixtures, 'nope.json'))).rejects.toThrow(/config file not found/);
    await expect(Config.fromFile(path.join(fixtures, '../config.test.ts.txt'))).rejects.toThrow(/unsupported config file type/);
  });

  it('dumps the resolved config as JSON that loads back to the same data', async () => {
    const cfg = await Config.fromFile(path.join(fixtures, 'sub/child.ts'));
    expect(JSON.parse(cfg.dump())).toEqual(cfg.data);
  });
});

describe('--cfg-options', () => {
  it("parses values as MMEngine's DictAction does", () => {
    expect(parseOptionValue('1,2,3')).toEqual([1, 2, 3]);
    expect(parseOptionValue('(1,2)')).toEqual([1, 2]);
    expect(parseOptionValue('[(1,2),[a,b],c]')).toEqual([[1, 2], ['a', 'b'], 'c']);
    expect(parseOptionValue('true')).toBe(true);
    expect(parseOptionValue('FALSE')).toBe(false);
    expect(parseOptionValue('None')).toBe(null);
    expect(parseOptionValue('null')).toBe(null);
    expect(parseOptionValue('1e-3')).toBe(0.001);
    expect(parseOptionValue('[]')).toEqual([]);
    expect(parseOptionValue("'a,b'")).toBe('a,b');
    expect(parseOptionValue('adam')).toBe('adam');
    expect(() => parseOptionValue('[1,2')).toThrow(/unbalanced/);
    expect(parseCfgOption('train_cfg.max_epochs=3')).toEqual(['train_cfg.max_epochs', 3]);
  });

  it('edits nested keys and list elements, and says when an index is out of range', () => {
    const cfg = { items: [{ a: 1 }, { b: 2 }], model: { depth: 50 }, tup: [1, 2] };
    const out = mergeFromDict(cfg, { 'items.1.b': 5, 'model.depth': 101, tup: [3, 4], 'new.x': 1 }) as Record<string, any>;
    expect(out.items).toEqual([{ a: 1 }, { b: 5 }]);
    expect(out.model.depth).toBe(101);
    expect(out.tup).toEqual([3, 4]);
    expect(out.new).toEqual({ x: 1 });
    expect(cfg.items[1]).toEqual({ b: 2 });
    expect(() => mergeFromDict(cfg, { 'items.5.b': 5 })).toThrow(/Index 5 exceeds the length of list items/);
    // MMEngine crashes on a plain value at a list index; we set it
    expect((mergeFromDict({ a: { b: [1, 2] } }, { 'a.b.0': 9 }) as any).a.b).toEqual([9, 2]);
  });
});
