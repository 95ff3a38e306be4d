/**
 * Minimal YAML for `config.yaml` (plain JSON data only). Strings are written double-quoted with
 * JSON escapes, which YAML reads the same way.
 */
export function toYaml(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? '.nan' : value === Infinity ? '.inf' : value === -Infinity ? '-.inf' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return value.map((v) => `\n${indent}- ${toYaml(v, inner).replace(/^\n\s*/, '')}`).join('');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return entries.map(([k, v]) => `\n${indent}${yamlKey(k)}:${block(v) ? '' : ' '}${toYaml(v, inner)}`).join('');
}

function block(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

function yamlKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(k) ? k : JSON.stringify(k);
}

/** W&B's config file: a version line, then `key: {value: ...}` per entry. */
export function configYaml(config: Record<string, unknown>): string {
  const tree = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: v }]));
  return `wandb_version: 1\n${toYaml(tree).replace(/^\n/, '')}\n`;
}
