#!/usr/bin/env node
// Builds the Gloo binding with node-gyp against Debian's libgloo. Node's own headers are taken
// from the running Node's install (no download). With --on-install (the package's install
// script) a missing library or compiler prints what to install and leaves the package usable
// up to its first collective, which then fails with the same advice.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const onInstall = process.argv.includes('--on-install');
const output = path.join(root, 'build', 'Release', 'trainkit_gloo.node');
export const APT_HINT = 'apt-get install -y libgloo-dev libhiredis-dev g++ make python3';

function missing() {
  const lacks = [];
  if (!fs.existsSync('/usr/include/gloo/context.h')) lacks.push('Gloo headers (/usr/include/gloo)');
  if (!['/usr/lib/libgloo.so', '/usr/lib/x86_64-linux-gnu/libgloo.so', '/usr/lib/aarch64-linux-gnu/libgloo.so'].some((p) => fs.existsSync(p)))
    lacks.push('libgloo.so');
  if (!fs.existsSync('/usr/include/hiredis/hiredis.h')) lacks.push('hiredis headers');
  for (const tool of ['g++', 'make', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) lacks.push(tool);
  }
  return lacks;
}

function upToDate() {
  if (!fs.existsSync(output)) return false;
  const built = fs.statSync(output).mtimeMs;
  const sources = ['binding.gyp', ...fs.readdirSync(path.join(root, 'native')).map((f) => path.join('native', f))];
  return sources.every((f) => fs.statSync(path.join(root, f)).mtimeMs <= built);
}

if (upToDate()) process.exit(0);
const lacks = missing();
if (lacks.length) {
  const msg = `@trainkit/dist-gloo: cannot build the Gloo binding: missing ${lacks.join(', ')}.\n  Install them (Debian/Ubuntu, as root): ${APT_HINT}\n  then rebuild: pnpm rebuild @trainkit/dist-gloo (or npm rebuild @trainkit/dist-gloo)`;
  console.error(msg);
  process.exit(onInstall ? 0 : 1);
}

const require = createRequire(import.meta.url);
let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  console.error('@trainkit/dist-gloo: node-gyp is not installed next to the package; reinstall @trainkit/dist-gloo');
  process.exit(onInstall ? 0 : 1);
}
// Node's headers ship with Node (include/node); pointing node-gyp there avoids a download
const nodeDir = path.resolve(path.dirname(process.execPath), '..');
const args = [gyp, 'rebuild', '--release', '--jobs=2', '--silent'];
if (fs.existsSync(path.join(nodeDir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodeDir}`);
try {
  execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
} catch (e) {
  console.error(`@trainkit/dist-gloo: building the Gloo binding failed (${e.message.split('\n')[0]}).`);
  process.exit(onInstall ? 0 : 1);
}
