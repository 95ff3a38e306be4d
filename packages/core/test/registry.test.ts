import { describe, expect, it } from 'vitest';
import { ConfigError, Registry, defineOptions, z } from '../src/index.js';
import { setDefaultScope } from '../src/public/plugin.js';

class A {
  constructor(readonly opts: Record<string, unknown>) {}
}
class B {
  x: number;
  constructor(opts: { x: number }) {
    this.x = opts.x;
  }
}
class D {}

describe('Registry (MMEngine seed 40)', () => {
  const parent = new Registry('model', { scope: 'parentx' });
  const childx = new Registry('model', { scope: 'childx', parent });
  const childy = new Registry('model', { scope: 'childy', parent });
  parent.register('A', A);
  childx.register('B', B, { options: defineOptions({ x: z.number() }) });
  childy.register(['D', 'Dalias'], D);

  it('looks up through parents and into sibling scopes', () => {
    expect(childx.get('A')).toBe(A);
    expect(childx.get('childy.D')).toBe(D);
    expect(childy.get('Dalias')).toBe(D);
    expect(parent.get('B')).toBeUndefined();
    expect(parent.get('childx.B')).toBe(B);
  });

  it('builds with config values winning over default args', () => {
    expect(childx.build<B>({ type: 'B', x: 3 }, { x: 5 }).x).toBe(3);
  });

  it('names the registry, the type, close matches and the path for an unknown type', () => {
    const err = (() => {
      try {
        childx.build({ type: 'Bb' }, {}, 'model');
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toContain('model.type: "Bb" is not in the childx::model registry');
    expect(err?.message).toContain('"B"');
  });

  it('names the package to install for an official type', () => {
    const hooks = new Registry('hook');
    expect(() => hooks.build({ type: 'CheckpointHook' }, {}, 'default_hooks.checkpoint')).toThrow(/pnpm add @trainkit\/hook-checkpoint/);
  });

  it('names @trainkit/tasks for the task types core no longer has (models, metrics, visualizers)', () => {
    for (const [registry, type] of [
      ['model', 'LayersClassifier'],
      ['model', 'LayersModelWrapper'],
      ['metric', 'Accuracy'],
      ['metric', 'RMSE'],
      ['visualizer', 'ClsVisualizer'],
    ]) {
      expect(() => new Registry(registry).build({ type }, {}, registry)).toThrow(/pnpm add @trainkit\/tasks/);
    }
  });

  it('rejects a second registration of a name unless forced', () => {
    expect(() => childx.register('B', class {})).toThrow(/B is already registered in the childx::model registry/);
    childx.register('B', B, { force: true });
  });

  it('validates options: unknown keys with did-you-mean, wrong types with the fix', () => {
    const r = new Registry('hook');
    r.register('Foo', A, { options: defineOptions({ interval: z.number().int().positive().default(1), by_epoch: z.boolean().optional() }) });
    expect(() => r.build({ type: 'Foo', intervall: 2 }, {}, 'custom_hooks.0')).toThrow(
      /custom_hooks\.0\.intervall: unknown option "intervall" for Foo\. Did you mean "interval"\?/,
    );
    const err = (() => {
      try {
        r.build({ type: 'Foo', interval: 'often' }, {}, 'custom_hooks.0');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toContain('custom_hooks.0.interval: invalid value for Foo');
    expect(err?.message).toContain('found: "often"');
    expect(err?.message).toContain('fix: give a number');
    expect(r.build<A>({ type: 'Foo' }).opts).toEqual({ interval: 1 });
  });

  it('starts lookups in the default scope and falls back to the root', () => {
    const restore = setDefaultScope('childx');
    try {
      expect(parent.build<B>({ type: 'B', x: 1 }).x).toBe(1);
      expect(parent.build({ type: 'A' })).toBeInstanceOf(A);
    } finally {
      restore();
    }
  });

  it('rejects a duplicate child scope', () => {
    expect(() => new Registry('model', { scope: 'childx', parent })).toThrow(/scope "childx" already exists/);
  });
});
