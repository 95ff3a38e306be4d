import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { declaredPlugin } from '../registry/define-plugin.js';
import { officialPackageFor, officialProvides } from '../registry/official-plugins.js';
import { packageEntry } from '../registry/plugin-discovery.js';
import { REGISTRIES, type RegistryKey } from '../registry/root.js';
import { importFile } from '../utils/import-module.js';

/**
 * Fails unless the package in `pkgDir` declares exactly what it registers: imports the package's
 * entry (unless the test imported it already), then compares package.json's `"trainkit".provides` with its `definePlugin` declaration
 * and with every registry entry registered `from` the package. For official packages, core's
 * table (which names the package to install for a missing type) must agree too.
 *
 * ```ts
 * it('declares what it registers', () => expectManifestMatches(new URL('..', import.meta.url)));
 * ```
 */
export async function expectManifestMatches(pkgDir: string | URL): Promise<void> {
  const dir = typeof pkgDir === 'string' ? pkgDir : fileURLToPath(pkgDir);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; trainkit?: { provides?: Record<string, string[]> } };
  // a test that imported the package's sources already has its declaration: importing the built
  // entry too would register every type a second time
  if (!declaredPlugin(pkg.name)) await importFile(packageEntry(dir));
  const problems: string[] = [];
  const manifest = pkg.trainkit?.provides;
  if (!manifest) problems.push(`package.json has no "trainkit": {"provides": {...}} field`);
  const plugin = declaredPlugin(pkg.name);
  if (!plugin) problems.push(`importing it did not call definePlugin({ name: '${pkg.name}', ... })`);
  const registered: Record<string, string[]> = {};
  for (const [key, registry] of Object.entries(REGISTRIES)) {
    const own = registry.keys().filter((n) => registry.getEntry(n)?.from === pkg.name);
    if (own.length) registered[key] = own;
  }
  if (manifest) {
    problems.push(...differences('package.json "trainkit".provides', manifest, 'the registries', registered));
    if (plugin) problems.push(...differences('package.json "trainkit".provides', manifest, 'definePlugin', plugin.manifest));
  }
  const official = officialProvides(pkg.name);
  if (official && manifest) {
    for (const [key, names] of Object.entries(manifest)) {
      const registry = REGISTRIES[key as RegistryKey];
      for (const n of names)
        if (registry && officialPackageFor(registry.name, n) !== pkg.name) problems.push(`core's official-plugins table lacks ${key} ${n}`);
    }
    const byName = new Map(Object.entries(REGISTRIES).map(([k, r]) => [r.name, k]));
    for (const [regName, names] of Object.entries(official)) {
      for (const n of names)
        if (!manifest[byName.get(regName) ?? '']?.includes(n))
          problems.push(`core's official-plugins table lists ${regName} ${n}, which package.json does not provide`);
    }
  }
  if (problems.length) throw new Error(`${pkg.name} (${dir}): manifest and registrations disagree:\n  - ${problems.join('\n  - ')}`);
}

function differences(aName: string, a: Record<string, string[]>, bName: string, b: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const left = new Set(a[key] ?? []);
    const right = new Set(b[key] ?? []);
    for (const n of left) if (!right.has(n)) out.push(`${key} ${n}: in ${aName}, not in ${bName}`);
    for (const n of right) if (!left.has(n)) out.push(`${key} ${n}: in ${bName}, not in ${aName}`);
  }
  return out;
}
