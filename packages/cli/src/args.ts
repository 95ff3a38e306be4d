import { ConfigError } from '@trainkit/core';
import { parseCfgOption } from '@trainkit/core/config';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
  cfgOptions: Record<string, unknown>;
}

/**
 * Parses `cmd POS... --flag value --bool --cfg-options a.b=1 c=x`. `--cfg-options` takes every
 * following `KEY=VALUE` token (MMEngine's DictAction); `--flag=value` works too. A flag in
 * `optionalValue` takes the next token as its value only when it is not another flag or a
 * `KEY=VALUE` pair (`--resume` and `--resume ckpt`).
 */
export function parseArgs(argv: string[], known: { values: string[]; booleans: string[]; optionalValue?: string[] }): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const cfgOptions: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = eq > 0 ? token.slice(2, eq) : token.slice(2);
    if (name === 'cfg-options' || name === 'cfg_options') {
      if (eq > 0) Object.assign(cfgOptions, Object.fromEntries([parseCfgOption(token.slice(eq + 1))]));
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
        const [k, v] = parseCfgOption(argv[++i]);
        cfgOptions[k] = v;
      }
      continue;
    }
    if (known.booleans.includes(name)) {
      flags.set(name, true);
    } else if (known.values.includes(name)) {
      const value = eq > 0 ? token.slice(eq + 1) : argv[++i];
      if (value === undefined || value.startsWith('--')) throw new ConfigError(`--${name} needs a value`);
      flags.set(name, value);
    } else if (known.optionalValue?.includes(name)) {
      const next = argv[i + 1];
      if (eq > 0) flags.set(name, token.slice(eq + 1));
      else if (next !== undefined && !next.startsWith('--') && !next.includes('=')) flags.set(name, argv[++i]);
      else flags.set(name, true);
    } else {
      const all = [...known.values, ...known.booleans, ...(known.optionalValue ?? []), 'cfg-options'];
      throw new ConfigError(`unknown option --${name}`, { fix: `use one of ${all.map((f) => `--${f}`).join(', ')}` });
    }
  }
  return { positionals, flags, cfgOptions };
}
