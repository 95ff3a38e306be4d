import * as fs from 'node:fs';
import * as path from 'node:path';
import { findInstalledPlugins } from '@trainkit/core/plugin';
import { parseArgs } from '../args.js';

export const typesUsage = `trainkit types [--out FILE]

Writes a declaration file (default: trainkit-env.d.ts in the current folder) that brings the
config types of every installed trainkit plugin into TypeScript configs, so that
defineConfig({...}) completes and checks every plugin's options without an import per plugin.
Run it again after adding or removing a plugin; keep the file next to your configs (tsconfig's
"include" must cover it).`;

export const TYPES_FILE = 'trainkit-env.d.ts';

/** The declaration file's text: one type-only import per installed plugin. */
export function typesFile(packages: string[]): string {
  const lines = [
    '// Written by `trainkit types`: the config types of the installed trainkit plugins.',
    '// Run `trainkit types` again after adding or removing a plugin.',
    "import type {} from '@trainkit/core';",
    ...packages.map((name) => `import type {} from '${name}';`),
    '',
  ];
  return lines.join('\n');
}

export async function types(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['out'], booleans: [] });
  const out = path.resolve(String(args.flags.get('out') ?? TYPES_FILE));
  // only packages that ship declarations can add config types
  const packages = findInstalledPlugins([path.dirname(out)])
    .filter((p) => hasTypes(p.dir))
    .map((p) => p.name)
    .sort();
  fs.writeFileSync(out, typesFile(packages));
  process.stdout.write(
    `wrote ${path.relative(process.cwd(), out) || out}: config types of ${packages.length ? packages.join(', ') : 'no plugins (none installed)'}\n`,
  );
  return 0;
}

function hasTypes(dir: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { types?: string; typings?: string; exports?: unknown };
    return Boolean(pkg.types ?? pkg.typings ?? JSON.stringify(pkg.exports ?? '').includes('"types"'));
  } catch {
    return false;
  }
}
