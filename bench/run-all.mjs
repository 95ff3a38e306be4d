#!/usr/bin/env node
// Runs every bench script in this folder (except the GPU ones) one after the other.
//   pnpm bench            (after pnpm build)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = import.meta.dirname;
const skip = new Set(['run-all.mjs', 'gpu.mjs', 'gpu-entry.mjs', 'gpu-pack.mjs']);
let failed = 0;
for (const file of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && !skip.has(f))
  .sort()) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, [path.join(dir, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
if (failed) {
  console.error(`\n${failed} bench script(s) failed`);
  process.exitCode = 1;
}
