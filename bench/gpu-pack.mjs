#!/usr/bin/env node
// Packs the webgpu benches for a GPU machine that has no Node.js, no npm and no network
// (../shared/gpu/README.md): one bundled script, Dawn's binding, the Fashion-MNIST subset and its
// configs resolved to JSON, Node itself and the Vulkan loader's Debian package; under 64 MiB.
//   pnpm build && node bench/gpu-pack.mjs [.gpu]      (list the folder in .git/info/exclude)
//   there:  bash .gpu/run.sh [speed|train|all]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Config } from '@trainkit/core';
import * as esbuild from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const out = path.resolve(process.argv[2] ?? path.join(root, '.gpu'));
const example = path.join(root, 'examples/fashion-mnist');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'configs'), { recursive: true });

// 1. the benches and every package they use, in one file; `webgpu` stays outside (a native addon)
await esbuild.build({
  entryPoints: [path.join(import.meta.dirname, 'gpu-entry.mjs')],
  outfile: path.join(out, 'bench.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@trainkit/source'],
  ignoreAnnotations: true,
  external: ['webgpu', 'tsx', '@napi-rs/canvas', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@node-rs/crc32'],
  // CommonJS dependencies call require(); an ES module bundle has none of its own
  banner: { js: "import { createRequire as __trainkitRequire } from 'node:module'; const require = __trainkitRequire(import.meta.url);" },
  logLevel: 'warning',
});

// 2. Dawn's Node binding as the `webgpu` package, where the bundle's import finds it
const webgpuDir = path.dirname(createRequire(path.join(root, 'plugins/backend-webgpu/package.json')).resolve('webgpu/package.json'));
const target = path.join(out, 'node_modules/webgpu');
fs.mkdirSync(path.join(target, 'dist/linux-x64'), { recursive: true });
for (const f of ['package.json', 'index.js']) fs.copyFileSync(path.join(webgpuDir, f), path.join(target, f));
fs.writeFileSync(path.join(out, 'dawn.node.xz'), execFileSync('xz', ['-c', '-T0', path.join(webgpuDir, 'dist/linux-x64/dawn.node')], { maxBuffer: 1 << 30 }));

// 3. the data and the configs, resolved: no TypeScript loader, no custom_imports, no canvas
fs.cpSync(path.join(example, 'data'), path.join(out, 'data'), { recursive: true });
for (const model of ['mlp', 'cnn']) {
  const cfg = JSON.parse((await Config.fromFile(path.join(example, `configs/${model}_fashion-mnist.ts`))).dump());
  delete cfg.custom_imports;
  for (const split of ['train_dataloader', 'val_dataloader', 'test_dataloader']) cfg[split].dataset.data_root = 'data';
  delete cfg.default_hooks.visualization;
  cfg.visualizer = { type: 'Visualizer', vis_backends: [{ type: 'LocalVisBackend' }] };
  cfg.env_cfg = { backend: 'webgpu' };
  fs.writeFileSync(path.join(out, `configs/${model}_fashion-mnist.json`), `${JSON.stringify(cfg, null, 2)}\n`);
}

// 4. Node and the Vulkan loader (that machine has neither)
fs.writeFileSync(path.join(out, 'node.xz'), execFileSync('xz', ['-c', '-T0', process.execPath], { maxBuffer: 1 << 30 }));
execFileSync('apt-get', ['download', 'libvulkan1'], { cwd: out, stdio: 'inherit' });

fs.writeFileSync(
  path.join(out, 'run.sh'),
  `#!/bin/bash
# Runs the webgpu benches on a GPU machine: speed (bench/gpu.mjs), train (Fashion-MNIST MLP and CNN), or all.
set -euo pipefail
cd "$(dirname "$0")"
NODE=\${NODE:-/tmp/trainkit-node}
[ -x "$NODE" ] || { xz -dc node.xz > "$NODE"; chmod +x "$NODE"; }
[ -f node_modules/webgpu/dist/linux-x64/dawn.node ] || xz -dc dawn.node.xz > node_modules/webgpu/dist/linux-x64/dawn.node
if ! ldconfig -p | grep -q 'libvulkan.so.1 '; then dpkg -x libvulkan1_*.deb / && ldconfig; fi
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -n "\${VK_DRIVER_FILES:-}" ] || { [ -f "$ICD" ] && export VK_DRIVER_FILES="$ICD"; } || true
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || true
case "\${1:-all}" in
  speed)
    "$NODE" bench.mjs speed --iters "\${ITERS:-50}" --profile
    # the CNN again on tfjs's own kernels, to see what @trainkit/backend-webgpu's kernels change
    "$NODE" bench.mjs speed --iters "\${ITERS:-50}" --cases cnn --profile --tfjs-kernels ;;
  train) "$NODE" bench.mjs train --config-dir configs --cases "\${CASES:-mlp:webgpu,cnn:webgpu}" ;;
  all) "$0" speed; "$0" train ;;
esac
`,
  { mode: 0o755 },
);
const size = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true, recursive: true }).reduce((n, e) => n + (e.isFile() ? fs.statSync(path.join(e.parentPath, e.name)).size : 0), 0);
console.log(`packed ${path.relative(process.cwd(), out) || '.'}: ${(size(out) / 2 ** 20).toFixed(1)} MiB; run there: bash ${path.relative(root, out)}/run.sh`);
