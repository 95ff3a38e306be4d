/**
 * Every config example in the documentation type-checks as written, in a project that has the
 * plugins installed and the declaration file `trainkit types` writes, and nothing else: no
 * import a README does not show.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.js';

interface Example {
  file: string;
  line: number;
  code: string;
}

function markdownFiles(): string[] {
  const files = [path.join(REPO, 'README.md')];
  for (const group of ['packages', 'plugins', 'examples']) {
    for (const dir of fs.readdirSync(path.join(REPO, group))) {
      const readme = path.join(REPO, group, dir, 'README.md');
      if (fs.existsSync(readme)) files.push(readme);
    }
  }
  for (const doc of fs.readdirSync(path.join(REPO, 'docs'), { recursive: true, encoding: 'utf8' }))
    if (doc.endsWith('.md')) files.push(path.join(REPO, 'docs', doc));
  return files;
}

/** The ```ts blocks that are configs (they call defineConfig). */
function configExamples(): Example[] {
  const out: Example[] = [];
  for (const file of markdownFiles()) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && !lines[end].startsWith('```')) end++;
      const code = lines.slice(start, end).join('\n');
      if (code.includes('defineConfig(')) out.push({ file: path.relative(REPO, file), line: start + 1, code });
      i = end;
    }
  }
  return out;
}

/**
 * A user's project with every package of the workspace installed (links to the built packages,
 * as they resolve from a user's node_modules: through their exports map to `dist`).
 */
function projectWithEveryPackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-readme-configs-'));
  const link = (name: string, target: string) => {
    const at = path.join(dir, 'node_modules', ...name.split('/'));
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.symlinkSync(target, at, 'dir');
  };
  for (const group of ['packages', 'plugins', 'examples']) {
    for (const folder of fs.readdirSync(path.join(REPO, group))) {
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO, group, folder, 'package.json'), 'utf8')) as { name: string };
      link(pkg.name, path.join(REPO, group, folder));
    }
  }
  link('@tensorflow/tfjs', fs.realpathSync(path.join(REPO, 'packages/core/node_modules/@tensorflow/tfjs')));
  link('@types/node', fs.realpathSync(path.join(REPO, 'node_modules/@types/node')));
  return dir;
}

describe('the config examples of every README and guide', () => {
  const examples = configExamples();

  it('are found (a test that checks nothing would pass)', () => {
    expect(examples.length).toBeGreaterThan(10);
  });

  it('type-check as written, with the installed plugins declared by `trainkit types`', async () => {
    const dir = projectWithEveryPackage();
    try {
      const types = await runCli(['types', '--out', path.join(dir, 'trainkit-env.d.ts')], { cwd: dir });
      expect(types.code, types.stderr).toBe(0);
      const names = new Map<string, Example>();
      for (const [i, ex] of examples.entries()) {
        const name = `example_${i}.ts`;
        names.set(name, ex);
        fs.writeFileSync(path.join(dir, name), `${ex.code}\nexport {};\n`);
      }
      fs.writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: ['node'],
          },
          include: ['*.ts'],
        }),
      );
      const tsc = spawnSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      // each error, named by the README and line it comes from
      const errors = tsc.stdout
        .split('\n')
        .filter((l) => /example_\d+\.ts\(/.test(l))
        .map((l) => {
          const [, name, line, rest] = /(example_\d+\.ts)\((\d+),\d+\): (.*)$/.exec(l) ?? [];
          const ex = names.get(name);
          return ex ? `${ex.file}:${ex.line + Number(line) - 1}: ${rest}` : l;
        });
      expect(errors).toEqual([]);
      expect(tsc.status, tsc.stdout).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
