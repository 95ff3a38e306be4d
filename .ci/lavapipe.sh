#!/usr/bin/env bash
# Best effort: Mesa's software Vulkan driver (lavapipe), so the WebGPU tests run through Dawn on a
# machine without a GPU. Dawn needs Mesa 24 or newer (older lavapipe lacks dynamic indexing of
# storage image arrays); on Debian 12 that is bookworm-backports. Where this cannot install it
# (not root, no apt), the WebGPU tests skip themselves.
set -euo pipefail

mesa_version() { dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | cut -d. -f1; }
if [ "$(mesa_version || echo 0)" -ge 24 ] 2>/dev/null && [ -e /usr/lib/x86_64-linux-gnu/libvulkan.so.1 ]; then
  echo "lavapipe: Mesa $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "lavapipe: not root or no apt-get here; the WebGPU tests will skip"
  exit 0
fi
. /etc/os-release
target=()
if [ "${VERSION_CODENAME:-}" = bookworm ]; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" >/etc/apt/sources.list.d/trainkit-backports.list
  target=(-t bookworm-backports)
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${target[@]}" mesa-vulkan-drivers libvulkan1 >/dev/null
echo "lavapipe: installed Mesa $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
