import { REGISTRIES } from '@trainkit/core';
import { findInstalledPlugins } from '@trainkit/core/plugin';
import { parseArgs } from '../args.js';

export const pluginsUsage = `trainkit plugins [--json]

Lists the installed trainkit plugins (packages with a "trainkit" manifest) and the types each
provides, and the types core registers itself.`;

export async function plugins(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: [], booleans: ['json'] });
  const found = findInstalledPlugins([process.cwd()]);
  const core: Record<string, string[]> = {};
  for (const [key, registry] of Object.entries(REGISTRIES)) {
    const names = registry.keys();
    if (names.length) core[key] = names;
  }
  if (args.flags.get('json')) {
    process.stdout.write(
      `${JSON.stringify({ core, plugins: found.map(({ name, version, provides, commands }) => ({ name, version, provides, commands })) }, null, 2)}\n`,
    );
    return 0;
  }
  const lines: string[] = ['@trainkit/core (built in)'];
  for (const [key, names] of Object.entries(core)) lines.push(`  ${key}: ${names.join(', ')}`);
  if (found.length === 0) lines.push('', 'No plugins installed (none visible from this folder). Add one with e.g. pnpm add @trainkit/optim');
  for (const p of found) {
    lines.push('', `${p.name} ${p.version}  (${p.dir})`);
    for (const [key, names] of Object.entries(p.provides)) lines.push(`  ${key}: ${names.join(', ')}`);
    for (const name of Object.keys(p.commands)) lines.push(`  command: trainkit ${name}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
