#!/usr/bin/env node
// Creates a package with the house shape: package.json (exports map, trainkit manifest),
// tsconfig.json (typecheck against sources), tsconfig.build.json, vitest.config.ts, src/, test/.
// Usage: node tools/new-package.mjs plugins/hook-foo @trainkit/hook-foo "What it does"
import * as fs from 'node:fs';
import * as path from 'node:path';

const [dir, name, description = ''] = process.argv.slice(2);
if (!dir || !name) {
  console.error('usage: node tools/new-package.mjs <dir> <@scope/name> [description]');
  process.exit(2);
}
const project = path.basename(dir);
const depth = dir.split('/').length;
const up = '../'.repeat(depth);
const root = path.resolve(import.meta.dirname, '..');
const rel = dir.replace(/\/$/, '');
fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
fs.mkdirSync(path.join(dir, 'test'), { recursive: true });
const write = (file, text) => {
  const p = path.join(dir, file);
  if (!fs.existsSync(p)) fs.writeFileSync(p, text);
};
const isCore = name === '@trainkit/core';
write(
  'package.json',
  `${JSON.stringify(
    {
      name,
      version: '0.1.0',
      description,
      license: 'Apache-2.0',
      author: 'trainkit contributors',
      repository: { type: 'git', url: 'git+https://github.com/trainkit/trainkit.git', directory: rel },
      homepage: `https://github.com/trainkit/trainkit/tree/main/${rel}#readme`,
      bugs: { url: 'https://github.com/trainkit/trainkit/issues' },
      type: 'module',
      engines: { node: '>=20.19' },
      exports: {
        '.': { '@trainkit/source': './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js' },
        './package.json': './package.json',
      },
      types: './dist/index.d.ts',
      files: ['dist', 'src', 'README.md', 'LICENSE'],
      trainkit: { provides: {} },
      scripts: {
        build: 'tsc -p tsconfig.build.json',
        typecheck: 'tsc -p tsconfig.json --noEmit',
        test: `vitest run --root ${up.slice(0, -1)} --project ${project}`,
        prepack: `node ${up}tools/prepack.mjs`,
      },
      peerDependencies: isCore ? {} : { '@tensorflow/tfjs': '^4.22.0', '@trainkit/core': 'workspace:^' },
      devDependencies: {
        ...(isCore ? {} : { '@tensorflow/tfjs': '^4.22.0', '@trainkit/core': 'workspace:*' }),
        '@types/node': '^20.19.0',
        typescript: '5.9.3',
        vitest: '^4.1.12',
      },
      // what pnpm pack / publish write instead: the same exports without the source condition
      publishConfig: {
        access: 'public',
        exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './package.json': './package.json' },
      },
    },
    null,
    2,
  )}\n`,
);
write(
  'tsconfig.json',
  `${JSON.stringify({ extends: `${up}tsconfig.base.json`, compilerOptions: { customConditions: ['@trainkit/source'], noEmit: true, rootDir: '.' }, include: ['src', 'test'] }, null, 2)}\n`,
);
write(
  'tsconfig.build.json',
  `${JSON.stringify({ extends: `${up}tsconfig.base.json`, compilerOptions: { outDir: 'dist', rootDir: 'src' }, include: ['src'] }, null, 2)}\n`,
);
write(
  'vitest.config.ts',
  `import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trainkit/source'] },
  ssr: { resolve: { conditions: ['@trainkit/source'] } },
  test: { name: '${project}', environment: 'node', testTimeout: 60_000 },
});
`,
);
if (!fs.existsSync(path.join(dir, 'LICENSE'))) fs.copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
write('src/index.ts', `/** ${name}: ${description} */\nexport {};\n`);
console.log(`created ${dir} (${name})`);
