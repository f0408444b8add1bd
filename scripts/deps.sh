#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian packages alloc8 needs, if any are missing. Safe to run repeatedly.
set -euo pipefail
packages=(
  cmake make gcc g++ clang binutils            # build (binutils: objdump, for alloc8_add_interposer's entry check)
  binutils-aarch64-linux-gnu                   # the entry check's test on aarch64 objects (linux.check_entries.aarch64)
  python3 python3-jinja2 python3-yaml          # the generator
  git                                          # real-program tests
  libgc-dev pkg-config                         # the runtime's GC support (Boehm GC)
  libmimalloc-dev libgoogle-perftools-dev libjemalloc-dev   # allocators of the shipped bindings
  libtbb-dev libtbbmalloc2                     # TBB's scalable allocator (bindings/tbb.yaml)
  valgrind                                     # benchmarks: instruction counts (callgrind)
  clang-format                                 # the format check of the hand-written C (format.handwritten)
  sqlite3 perl xz-utils nodejs                 # the real-program corpus
  gcc-mingw-w64-x86-64 wine wine64             # Windows: cross-compiled DLL and tests run under Wine
  musl-tools                                   # musl: musl-gcc, musl's libc and dynamic loader (tests/musl/)
)
# Python's own regression tests for the corpus, for the /usr/bin/python3 in use (optional).
if [ -x /usr/bin/python3 ]; then
  py_version=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  optional=("libpython${py_version}-testsuite")
else
  optional=()
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
optional_missing=()
for p in "${optional[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || optional_missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && [ ${#optional_missing[@]} -eq 0 ] && exit 0
echo "alloc8: installing missing Debian packages: ${missing[*]} ${optional_missing[*]}"
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
install() { DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
[ ${#missing[@]} -eq 0 ] || install "${missing[@]}"
for p in "${optional_missing[@]}"; do
  install "$p" || echo "alloc8: note: $p is not available; the corpus skips Python's regression tests"
done
