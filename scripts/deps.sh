#!/usr/bin/env bash
# Install the Debian packages alloc8 needs, if any are missing. Safe to run repeatedly.
set -euo pipefail
packages=(
  cmake make gcc g++ clang binutils            # build
  python3 python3-jinja2 python3-yaml          # the generator
  git                                          # real-program tests
  libgc-dev pkg-config                         # the runtime's GC support (Boehm GC)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "alloc8: installing missing Debian packages: ${missing[*]}"
if ! command -v apt-get >/dev/null; then
  echo "alloc8: apt-get not found; please install: ${missing[*]}" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "alloc8: not root and no sudo; please install: ${missing[*]}" >&2
    exit 1
  fi
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
