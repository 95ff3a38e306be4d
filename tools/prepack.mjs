#!/usr/bin/env node
// `prepack` of every package: builds `dist` unless it is newer than every source file, so that
// `pnpm pack` / `pnpm publish` never ship a stale or missing build. A release builds everything
// first (turbo, in dependency order) and the packages then publish in parallel: rebuilding each
// one again there would rewrite core's declarations while the plugins compile against them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const pkgDir = process.cwd();

function files(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

const mtime = (f) => fs.statSync(f).mtimeMs;
const sources = [...files(path.join(pkgDir, 'src')), path.join(pkgDir, 'tsconfig.build.json')].filter((f) => fs.existsSync(f));
const built = files(path.join(pkgDir, 'dist'));
const newestSource = Math.max(...sources.map(mtime));
const oldestBuilt = built.length ? Math.min(...built.map(mtime)) : 0;

if (oldestBuilt >= newestSource) {
  console.log(`${path.basename(pkgDir)}: dist is up to date`);
} else {
  console.log(`${path.basename(pkgDir)}: building dist`);
  execFileSync('pnpm', ['run', 'build'], { cwd: pkgDir, stdio: 'inherit' });
}
