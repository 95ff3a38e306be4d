import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { VERSIONS } from '@trainkit/core/plugin';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.js';

/**
 * Runs the CLI's main() in a fresh Node process, then reports whether core (its process marker)
 * and TensorFlow.js (a CommonJS module, so in require's cache) were loaded by it.
 */
function loadedBy(argv: string[]): { core: boolean; tfjs: boolean; stdout: string } {
  const main = path.join(REPO, 'packages/cli/dist/main.js');
  const script = `
    import { createRequire } from 'node:module';
    const { main } = await import(${JSON.stringify(main)});
    const out = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk) => { out.push(String(chunk)); return true; };
    await main(${JSON.stringify(argv)});
    process.stdout.write = write;
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({
      core: globalThis[Symbol.for('@trainkit/core.loaded')] !== undefined,
      tfjs: cache.some((file) => file.includes('@tensorflow')),
      stdout: out.join(''),
    }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8', env: { ...process.env, VITEST: undefined } });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

describe('the CLI loads core and TensorFlow.js only for commands that need them', () => {
  it('--version prints the versions core records, without importing core or tfjs', () => {
    const r = loadedBy(['--version']);
    expect(r.stdout).toBe(`trainkit ${VERSIONS.trainkit} (TensorFlow.js ${VERSIONS.tfjs}, Node.js ${process.versions.node})\n`);
    expect(r).toMatchObject({ core: false, tfjs: false });
  });

  it('--help prints the command list without importing core or tfjs', () => {
    const r = loadedBy(['--help']);
    expect(r.stdout).toMatch(/^usage: trainkit <command>/);
    expect(r).toMatchObject({ core: false, tfjs: false });
  });

  it('a command that needs core still loads it (the check above can fail)', () => {
    const r = loadedBy(['plugins', '--json']);
    expect(JSON.parse(r.stdout).core).toBeDefined();
    expect(r).toMatchObject({ core: true, tfjs: true });
  });

  it("a command's --help and an unknown command still work through the built CLI", async () => {
    const help = await runCli(['train', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^trainkit train CONFIG \[options\]/);
    const unknown = await runCli(['toString']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^trainkit: error: unknown command "toString"\n {2}fix: use one of: train, val, test, check, print-config, plugins, types, wandb-sync\n$/,
    );
  });

  it("gives ES modules the namespace of tfjs from its exports, the same instances, a superset of Node's names", () => {
    const main = path.join(REPO, 'packages/cli/dist/main.js');
    const script = `
      import { createRequire } from 'node:module';
      const { main } = await import(${JSON.stringify(main)});
      process.stdout.write = () => true;
      await main(['plugins']);
      const ns = await import('@tensorflow/tfjs');
      const fromCore = createRequire(createRequire(${JSON.stringify(main)}).resolve('@trainkit/core/package.json'));
      const cjs = fromCore('@tensorflow/tfjs');
      const same = ns.default === cjs && ns.tensor === cjs.tensor && ns.Tensor === cjs.Tensor && ns.version.tfjs === cjs.version.tfjs;
      const ours = globalThis[Symbol.for('@trainkit/cli.tfjs-namespace')] === true;
      console.error(JSON.stringify({ names: Object.keys(ns).filter((n) => n !== 'module.exports'), same, ours }));`;
    const run = (env: NodeJS.ProcessEnv) => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: path.join(REPO, 'packages/core'),
        encoding: 'utf8',
        env: { ...process.env, VITEST: undefined, ...env },
      });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stderr.trim().split('\n').pop() as string) as { names: string[]; same: boolean; ours: boolean };
    };
    const ours = run({});
    const nodes = run({ TRAINKIT_NO_TFJS_NAMESPACE: '1' });
    expect(ours.ours).toBe(true);
    expect(nodes.ours).toBe(false);
    expect(ours.same).toBe(true);
    expect(nodes.same).toBe(true);
    expect(nodes.names.length).toBeGreaterThan(400);
    expect(nodes.names.filter((n) => !ours.names.includes(n))).toEqual([]);
  });
});
