import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HOOKS, RegistryError, REGISTRIES } from '../src/index.js';
import { declaredPlugin, definePlugin, findInstalledPlugins, findProvider, officialProvides, packageEntry } from '../src/public/plugin.js';
import { expectManifestMatches, tempDir } from '../src/testing/index.js';
import { Hook } from '../src/hooks/hook.js';

const coreDir = fileURLToPath(new URL('..', import.meta.url));
const workspace = path.resolve(coreDir, '../..');

describe('definePlugin', () => {
  it('registers every type it provides, names the package, and records the manifest', () => {
    class PlatformTestHook extends Hook {}
    const plugin = definePlugin({ name: 'trainkit-plugin-platform-test', provides: { HOOKS: { PlatformTestHook: { cls: PlatformTestHook } } } });
    expect(HOOKS.get('PlatformTestHook')).toBe(PlatformTestHook);
    expect(HOOKS.getEntry('PlatformTestHook')?.from).toBe('trainkit-plugin-platform-test');
    expect(plugin.manifest).toEqual({ HOOKS: ['PlatformTestHook'] });
    expect(declaredPlugin('trainkit-plugin-platform-test')).toBe(plugin);
  });

  it('refuses a registry key that does not exist', () => {
    expect(() => definePlugin({ name: 'x', provides: { HOOKZ: {} } as never })).toThrow(/"HOOKZ", which is not a registry[\s\S]*HOOKS/);
  });
});

describe('expectManifestMatches', () => {
  it('fails naming each disagreement between package.json and the registrations', async () => {
    const err = await expectManifestMatches(path.join(coreDir, 'test/fixtures/mismatched-plugin')).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toContain('HOOKS ForgottenHook: in package.json "trainkit".provides, not in the registries');
    expect(msg).toContain('METRICS StrayMetric: in the registries, not in package.json "trainkit".provides');
    expect(msg).toContain('HOOKS ForgottenHook: in package.json "trainkit".provides, not in definePlugin');
  });
});

describe("core's table of official packages", () => {
  it("agrees with every official plugin's package.json manifest", () => {
    const byName = new Map(Object.entries(REGISTRIES).map(([key, r]) => [r.name, key]));
    for (const dir of fs.readdirSync(path.join(workspace, 'plugins'))) {
      const pkg = JSON.parse(fs.readFileSync(path.join(workspace, 'plugins', dir, 'package.json'), 'utf8'));
      const table = officialProvides(pkg.name);
      expect(table, `${pkg.name} is missing from official-plugins.ts`).toBeDefined();
      const asManifest = Object.fromEntries(Object.entries(table ?? {}).map(([reg, names]) => [byName.get(reg), [...names].sort()]));
      const manifest = Object.fromEntries(Object.entries(pkg.trainkit.provides as Record<string, string[]>).map(([k, v]) => [k, [...v].sort()]));
      expect(asManifest, pkg.name).toEqual(manifest);
    }
  });
});

describe('two installed packages providing one type', () => {
  it('is an error naming both packages and how to choose, not first-found-wins', () => {
    const project = tempDir();
    for (const name of ['trainkit-plugin-alarm-a', '@acme/trainkit-alarm']) {
      const dir = path.join(project, 'node_modules', ...name.split('/'));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', trainkit: { provides: { HOOKS: ['AlarmHook'] } } }));
    }
    const plugins = findInstalledPlugins([project]);
    const err = (() => {
      try {
        findProvider('AlarmHook', plugins, 'HOOKS');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(RegistryError);
    expect(err?.message).toMatch(
      /"AlarmHook" is provided by two installed packages: (@acme\/trainkit-alarm|trainkit-plugin-alarm-a) .* and (@acme\/trainkit-alarm|trainkit-plugin-alarm-a) /,
    );
    expect(err?.message).toContain('custom_imports');
    expect(err?.message).toContain('.AlarmHook');
  });
});

describe('packageEntry', () => {
  it('never sends an import to a file the package does not have', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist/index.js'), '');
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'p', exports: { '.': { '@trainkit/source': './src/index.ts', import: './dist/index.js' } } }),
    );
    expect(process.env.VITEST).toBeTruthy();
    expect(packageEntry(dir)).toBe(path.join(dir, 'dist/index.js'));
  });
});

describe('one core per process', () => {
  it('fails when a second copy of @trainkit/core loads, naming both copies and the fix', () => {
    // a real second copy: core's build in another folder, as a linked plugin would bring
    const copy = path.join(tempDir(), 'node_modules', '@trainkit', 'core');
    fs.mkdirSync(copy, { recursive: true });
    fs.cpSync(path.join(coreDir, 'dist'), path.join(copy, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(coreDir, 'package.json'), path.join(copy, 'package.json'));
    fs.symlinkSync(path.join(coreDir, 'node_modules'), path.join(copy, 'node_modules'));
    const script = `await import(${JSON.stringify(pathToFileURL(path.join(coreDir, 'dist/index.js')).href)});
try { await import(${JSON.stringify(pathToFileURL(path.join(copy, 'dist/index.js')).href)}); console.log('loaded twice'); }
catch (e) { console.log(e.name + ': ' + e.message); }`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, VITEST: '' } });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('DuplicateCoreError: two copies of @trainkit/core are loaded in this process');
    expect(run.stdout).toContain(`first:  ${coreDir.replace(/[\\/]$/, '')} (`);
    expect(run.stdout).toContain(`second: ${copy} (`);
    expect(run.stdout).toContain('peerDependencies');
    expect(run.stdout).toContain('npm pack');
  });
});
