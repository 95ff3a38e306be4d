/**
 * The packages as users get them: every workspace package is published with the release tooling
 * (changesets, pnpm publish) to a Verdaccio on loopback, then installed by name in fresh folders
 * outside the workspace. Third-party dependencies come through Verdaccio's uplink to the npm
 * registry npm is configured with.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRegistry, REPO, freshCopy } from './support/registry.js';

const registry = new LocalRegistry();
const PLUGINS = ['@trainkit/hook-checkpoint', '@trainkit/hook-logger', '@trainkit/optim', '@trainkit/tasks'];
const THIRD_PARTY = 'trainkit-plugin-e2e-alarm';
let releaseOutput = '';

beforeAll(async () => {
  await registry.start();
  // the release command of docs/contributing.md, without the git tags a real release makes
  const release = registry.run('pnpm', ['run', 'release', '--no-git-tag'], REPO);
  releaseOutput = release.stdout + release.stderr;
}, 600_000);

afterAll(() => registry.stop());

/** A package's registry document. Tried twice: Verdaccio closes the pooled connection from before the release while it runs. */
function published(name: string): Promise<{ versions: Record<string, unknown> }> {
  const get = () => fetch(`${registry.url}${name.replace('/', '%2f')}`).then((r) => r.json() as Promise<{ versions: Record<string, unknown> }>);
  return get().catch(get);
}

/** Every file a published package's manifest or source maps point to is in the package. */
function danglingReferences(pkgDir: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const out: string[] = [];
  const targets: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (key.startsWith('@trainkit/')) out.push(`exports condition ${key}`);
    if (typeof v === 'string') targets.push(v);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(pkg.exports);
  if (pkg.types) targets.push(pkg.types);
  if (typeof pkg.bin === 'string') targets.push(pkg.bin);
  else if (pkg.bin) targets.push(...(Object.values(pkg.bin) as string[]));
  for (const t of targets) if (!fs.existsSync(path.join(pkgDir, t))) out.push(`${t} (named in package.json)`);
  if (!fs.existsSync(path.join(pkgDir, 'LICENSE'))) out.push('LICENSE');
  const maps = fs.readdirSync(path.join(pkgDir, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.map'));
  for (const m of maps) {
    const file = path.join(pkgDir, 'dist', m);
    const { sources } = JSON.parse(fs.readFileSync(file, 'utf8')) as { sources: string[] };
    for (const s of sources) if (!fs.existsSync(path.resolve(path.dirname(file), s))) out.push(`${s} (source of ${m})`);
  }
  return out;
}

describe('the workspace, published to a registry', () => {
  it('published every public package, with its license, metadata and no reference to an unshipped file', async () => {
    const dirs = ['packages', 'plugins'].flatMap((d) => fs.readdirSync(path.join(REPO, d)).map((p) => path.join(REPO, d, p)));
    for (const dir of dirs) {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const doc = await published(pkg.name);
      expect(Object.keys(doc.versions ?? {}), `${pkg.name}; the release said:\n${releaseOutput}`).toContain(pkg.version);
      const meta = doc.versions[pkg.version] as Record<string, unknown>;
      expect(meta.repository, pkg.name).toMatchObject({ directory: path.relative(REPO, dir) });
      expect(JSON.stringify(meta.exports), pkg.name).not.toContain('@trainkit/source');
      expect(JSON.stringify(meta.peerDependencies ?? {}), pkg.name).not.toContain('workspace:');
      expect(JSON.stringify(meta.dependencies ?? {}), pkg.name).not.toContain('workspace:');
    }
  });
});

describe('a third-party hook package, scaffolded as the plugin guide says', () => {
  let pluginDir = '';
  it('installs core from the registry, passes its own runner test, and publishes', () => {
    pluginDir = freshCopy('third-party-plugin');
    registry.run('npm', ['install'], pluginDir);
    const test = registry.run('npm', ['test'], pluginDir);
    expect(test.stdout).toMatch(/Tests\s+2 passed/);
    registry.run('npm', ['publish'], pluginDir);
  }, 600_000);
});

/** An app that installs the CLI and plugins by name, trains with its own dataset, and resumes. */
function trainAndResume(app: string, exec: string[]): void {
  const trainkit = (...args: string[]) => registry.run(exec[0], [...exec.slice(1), 'trainkit', ...args], app);
  const first = trainkit('train', 'train.config.ts');
  expect(first.stdout).toContain('E2EAlarmHook: blobs at iteration 3');
  const work = path.join(app, 'work_dirs/blobs');
  expect(fs.existsSync(path.join(work, 'epoch_2.safetensors'))).toBe(true);
  const resumed = trainkit('train', 'train.config.ts', '--resume', '--cfg-options', 'train_cfg.max_epochs=3');
  expect(resumed.stdout).toContain(`Auto resumed from the latest checkpoint ${path.join(work, 'epoch_2.safetensors')}.`);
  expect(resumed.stdout).toContain('resumed epoch: 2, iter: 6');
  expect(fs.existsSync(path.join(work, 'epoch_3.safetensors'))).toBe(true);
}

describe('a new npm project', () => {
  let app = '';
  it('installs @trainkit/cli and plugins by name, trains with its own dataset through custom_imports, and resumes', () => {
    app = freshCopy('app');
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'blobs-app', version: '1.0.0', private: true }, null, 2));
    registry.run('npm', ['install', '@trainkit/cli', '@trainkit/core', ...PLUGINS, THIRD_PARTY, 'typescript@5.9.3'], app);
    for (const name of ['@trainkit/core', '@trainkit/cli', ...PLUGINS]) expect(danglingReferences(path.join(app, 'node_modules', name)), name).toEqual([]);
    // one core, one tfjs, and no TypeScript compiler in core's own dependencies
    expect(fs.existsSync(path.join(app, 'node_modules', THIRD_PARTY, 'node_modules/@trainkit/core'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(app, 'node_modules/@trainkit/core/package.json'), 'utf8')).dependencies).not.toHaveProperty('esbuild');
    trainAndResume(app, ['npx', '--no']);
  }, 600_000);

  it('type-checks its config with every installed plugin after `trainkit types`, and tsc catches a misspelled hook option', () => {
    expect(app, 'the npm project test ran').not.toBe('');
    const types = registry.run('npx', ['--no', 'trainkit', 'types'], app);
    expect(types.stdout).toContain(THIRD_PARTY);
    const declarations = fs.readFileSync(path.join(app, 'trainkit-env.d.ts'), 'utf8');
    for (const name of [...PLUGINS, THIRD_PARTY]) expect(declarations).toContain(`import type {} from '${name}';`);
    registry.run('npx', ['--no', '--', 'tsc', '-p', '.'], app);

    const config = path.join(app, 'train.config.ts');
    const source = fs.readFileSync(config, 'utf8');
    fs.writeFileSync(config, source.replace("interval: 3, message: 'blobs'", "intervall: 3, message: 'blobs'"));
    const line = source.split('\n').findIndex((l) => l.includes("message: 'blobs'")) + 1;
    const bad = registry.run('npx', ['--no', '--', 'tsc', '-p', '.'], app, { allowFailure: true });
    expect(bad.code).not.toBe(0);
    // on the property itself, not on defineConfig(
    expect(bad.stdout).toContain(`train.config.ts(${line},`);
    expect(bad.stdout).toContain("'intervall' does not exist");
    fs.writeFileSync(config, source);
  }, 300_000);
});

describe('a new pnpm project', () => {
  it('does the same: installs by name, trains with its own dataset, resumes', () => {
    const app = freshCopy('app');
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'blobs-app-pnpm', version: '1.0.0', private: true, pnpm: { onlyBuiltDependencies: ['esbuild'] } }, null, 2),
    );
    registry.run('pnpm', ['add', '@trainkit/cli', '@trainkit/core', ...PLUGINS, THIRD_PARTY], app);
    trainAndResume(app, ['pnpm', 'exec']);
  }, 600_000);
});
