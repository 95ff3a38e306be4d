import * as fs from 'node:fs';
import { REGISTRIES, officialPackageFor } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  trainkit: { provides: Record<string, string[]> };
};

describe('the "trainkit" manifest', () => {
  it('lists exactly the types the package registers, by registry key', () => {
    const registered: Record<string, string[]> = {};
    for (const [key, registry] of Object.entries(REGISTRIES)) {
      const own = registry.keys().filter((name) => registry.getEntry(name)?.from === pkg.name);
      if (own.length) registered[key] = own;
    }
    const sorted = (m: Record<string, string[]>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, [...v].sort()]));
    expect(sorted(pkg.trainkit.provides)).toEqual(sorted(registered));
  });

  it("agrees with core's table of official packages, so a missing install names this package", () => {
    for (const [key, names] of Object.entries(pkg.trainkit.provides)) {
      const registry = REGISTRIES[key as keyof typeof REGISTRIES];
      for (const name of names) expect(officialPackageFor(registry.name, name), `${key} ${name}`).toBe(pkg.name);
    }
  });
});
