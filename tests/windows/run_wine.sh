#!/usr/bin/env bash
# Cross-compile the demo allocator's Windows DLL from spec/allocator.yaml with mingw-w64, and run
# the Windows tests under Wine (docs/platforms.md says what this does and does not prove).
# Usage: run_wine.sh <repo root> <python with jinja2+yaml> <work dir> [test] [direct|cmake]
#   direct  build the interposer DLL with the compiler (default)
#   cmake   build it through alloc8_add_interposer with cmake/toolchains/mingw-w64-x86_64.cmake
# Exit 77 (CTest: skipped) when mingw-w64 or Wine is missing; scripts/deps.sh installs both.
set -euo pipefail
repo=$(cd "$1" && pwd) python=$2 work=$3 test=${4:-crt_served} build=${5:-direct}
cc=x86_64-w64-mingw32-gcc
wine=$(command -v wine64 || command -v wine || true)
if ! command -v $cc >/dev/null || [ -z "$wine" ]; then
  echo "SKIP: mingw-w64 ($cc) or Wine is not installed (scripts/deps.sh installs them)"
  exit 77
fi
mkdir -p "$work"
gen=$work/gen
PYTHONPATH="$repo/gen" "$python" -m alloc8gen "$repo/spec/allocator.yaml" --platform windows --out "$gen"
flags=(-std=c11 -O2 -Wall -Wextra -Werror -Wpedantic -I"$gen/windows" -I"$repo/examples/demo_allocator")
# the interposer DLL: the generated glue plus the demo allocator
if [ "$build" = cmake ]; then
  cmake -S "$repo/tests/windows/cmake_project" -B "$work/cmake-build" -DALLOC8_REPO="$repo" \
    -DALLOC8_PYTHON="$python" -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/toolchains/mingw-w64-x86_64.cmake" >/dev/null
  cmake --build "$work/cmake-build" >/dev/null
  cp "$work/cmake-build/liballoc8demo.dll" "$work/alloc8demo.dll"
else
  $cc "${flags[@]}" -shared -static-libgcc -o "$work/alloc8demo.dll" "$gen"/windows/*.c "$repo"/examples/demo_allocator/*.c
fi
$cc "${flags[@]}" -shared -o "$work/late_module.dll" "$repo/tests/windows/late_module.c"
# a module on the Universal CRT, without mingw-w64's own runtime
$cc "${flags[@]}" -fno-builtin -shared -nostdlib -o "$work/ucrt_module.dll" "$repo/tests/windows/ucrt_module.c" \
  -lucrtbase -lkernel32
# -fno-builtin: every malloc/free in the test really calls the C runtime (not folded away by gcc)
$cc "${flags[@]}" -fno-builtin -o "$work/$test.exe" "$repo/tests/windows/$test.c"
# one Wine prefix per work directory, made once (the first start takes a few seconds)
export WINEPREFIX=$work/wineprefix WINEDEBUG=-all
cd "$work"
"$wine" "$test.exe" alloc8demo.dll late_module.dll ucrt_module.dll
