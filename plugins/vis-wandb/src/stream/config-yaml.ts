import { stringify } from 'yaml';

/**
 * W&B's config file, as the SDK writes it (PyYAML block style): a version line, then
 * `key: {value: ...}` per entry. Sequences sit at their key's indentation and long strings are
 * never folded, as PyYAML's `default_flow_style=False` output; NaN and infinities are `.nan`/`.inf`.
 */
export function configYaml(config: Record<string, unknown>): string {
  const tree = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: v }]));
  return stringify({ wandb_version: 1, ...tree }, { indentSeq: false, lineWidth: 0 });
}
