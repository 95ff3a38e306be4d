#!/usr/bin/env bash
# Debian's Gloo (and what the binding and its tests need), installed once. Without root or apt,
# the binding cannot build: @trainkit/dist-gloo's install then prints the packages to install and
# its tests report what is missing.
set -euo pipefail
PKGS=(libgloo-dev libhiredis-dev g++ make python3 redis-server iproute2)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "gloo: ${PKGS[*]} already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "gloo: not root or no apt-get; missing ${missing[*]}" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "gloo: installed ${missing[*]}"
