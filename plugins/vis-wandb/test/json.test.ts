import { describe, expect, it } from 'vitest';
import { numberJson, parseWandb, stringifyWandb } from '../src/json/wandb-json.js';
import { toPlain } from '../src/json/to-plain.js';

describe("W&B's JSON", () => {
  it('numbers read back as the same double; non-finite numbers are bare tokens', () => {
    for (let i = 0; i < 20000; i++) {
      const v = (Math.random() - 0.5) * 10 ** (Math.random() * 80 - 40);
      expect(Number(numberJson(v))).toBe(v);
    }
    expect([0, -0, 7, -3, 2 ** 40, 0.5, 1e21, 1e-7].map(numberJson)).toEqual(['0', '0', '7', '-3', '1099511627776', '0.5', '1e+21', '9.9999999999999995e-8']);
    expect([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map(numberJson)).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('stringify keeps NaN and Infinity, parse reads them back, strings stay untouched', () => {
    const text = stringifyWandb({ a: Number.NaN, b: [Number.POSITIVE_INFINITY, -Infinity, 1], c: 'NaN Infinity', d: undefined, e: { f: null } });
    expect(text).toBe('{"a":NaN,"b":[Infinity,-Infinity,1],"c":"NaN Infinity","e":{"f":null}}');
    const back = parseWandb(text) as Record<string, unknown>;
    expect(back.a).toBeNaN();
    expect(back.b).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1]);
    expect(back.c).toBe('NaN Infinity');
    expect(parseWandb('{"x":"a \\" NaN"}')).toEqual({ x: 'a " NaN' });
  });

  it('a trainkit config becomes plain data: classes by name, cycles cut', () => {
    class ToyModel {}
    const cfg: Record<string, unknown> = {
      model: { type: ToyModel },
      fn: () => 1,
      big: 10n,
      set: new Set([1]),
      arr: new Float32Array([0.5]),
      when: new Date(0),
      skip: undefined,
    };
    cfg.self = cfg;
    cfg.vis = { init_kwargs: { settings: { api_key: 'secret-key-value' } } };
    expect(toPlain(cfg)).toEqual({
      model: { type: 'ToyModel' },
      fn: 'fn',
      big: 10,
      set: [1],
      arr: [0.5],
      when: '1970-01-01T00:00:00.000Z',
      self: '<circular>',
      vis: { init_kwargs: { settings: { api_key: '<redacted>' } } },
    });
  });
});
