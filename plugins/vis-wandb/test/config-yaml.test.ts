import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configYaml } from '../src/stream/config-yaml.js';

describe("config.yaml (W&B's config file)", () => {
  const config = {
    lr: 0.01,
    epochs: 3,
    layers: [64, 32],
    empty_list: [],
    empty_map: {},
    optim: { type: 'SGD', momentum: 0.9, nesterov: false, betas: [0.9, 0.999] },
    name: 'run: "first" #1',
    yes_string: 'yes',
    number_string: '1.0',
    multi_line: 'line one\nline two',
    long: 'x'.repeat(200),
    nothing: null,
    nan: Number.NaN,
    inf: Number.POSITIVE_INFINITY,
    ninf: Number.NEGATIVE_INFINITY,
    'key with spaces': 1,
  };

  it('reads back as the config, every key under `value`, after `wandb_version: 1`', () => {
    const text = configYaml(config);
    expect(text.startsWith('wandb_version: 1\n')).toBe(true);
    const back = parse(text) as Record<string, { value: unknown }>;
    expect(back.wandb_version).toBe(1);
    const values = Object.fromEntries(Object.entries(back).flatMap(([k, v]) => (k === 'wandb_version' ? [] : [[k, v.value]])));
    expect(values).toEqual(config);
  });

  it("has PyYAML's block layout: sequences at their key's indentation, no folded lines", () => {
    const text = configYaml({ layers: [64, 32], optim: { type: 'SGD' }, long: 'x'.repeat(200) });
    expect(text).toBe(`wandb_version: 1\nlayers:\n  value:\n  - 64\n  - 32\noptim:\n  value:\n    type: SGD\nlong:\n  value: ${'x'.repeat(200)}\n`);
  });
});
