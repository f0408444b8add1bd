#!/usr/bin/env bash
# Cross-compile the demo allocator's Windows interposer from spec/allocator.yaml with mingw-w64, and
# run a Windows test under Wine (docs/platforms.md says what this does and does not prove).
# Usage: run_wine.sh <repo root> <python with jinja2+yaml> <work dir> [test] [direct|cmake]
#   test    crt_served (default), stress: the program loads the DLL;
#           conformance: tests/windows/conformance.c, four times: against msvcrt.dll and the
#           Universal CRT, each with the DLL and with the interposer linked in (ALLOC8_STATIC)
#   direct  build the interposer with the compiler (default)
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
demo=$repo/examples/demo_allocator
flags=(-std=c11 -O2 -Wall -Wextra -Werror -Wpedantic -I"$gen/windows" -I"$demo")
# -fno-builtin: every malloc/free in a test really calls the C runtime (not folded away by gcc)
test_flags=("${flags[@]}" -fno-builtin)
# A program on the Universal CRT (ucrtbase.dll through its api-ms-win-crt-* API sets) instead of
# msvcrt.dll: mingw-w64's default libraries with libucrt in place of libmsvcrt.
ucrt=(-D_UCRT -nodefaultlibs -lmingw32 -lgcc -lgcc_eh -lmingwex -lucrt -lkernel32 -ladvapi32 -lshell32 -luser32 -lkernel32)

# the interposer: a DLL, and for the conformance test also a program with it linked in
if [ "$build" = cmake ]; then
  cmake -S "$repo/tests/windows/cmake_project" -B "$work/cmake-build" -DALLOC8_REPO="$repo" \
    -DALLOC8_PYTHON="$python" -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/toolchains/mingw-w64-x86_64.cmake" >/dev/null
  cmake --build "$work/cmake-build" >/dev/null
  cp "$work/cmake-build/liballoc8demo.dll" "$work/alloc8demo.dll"
  cp "$work/cmake-build/conformance_static.exe" "$work/conformance_static.exe"
else
  $cc "${flags[@]}" -shared -static-libgcc -o "$work/alloc8demo.dll" "$gen"/windows/*.c "$demo"/*.c
fi

export WINEPREFIX=$work/wineprefix WINEDEBUG=-all # one Wine prefix per work directory, made once
cd "$work"
if [ "$test" = conformance ]; then
  src=$repo/tests/windows/conformance.c
  $cc "${test_flags[@]}" -o conformance_msvcrt.exe "$src"
  $cc "${test_flags[@]}" -o conformance_ucrt.exe "$src" "${ucrt[@]}"
  runs=("conformance_msvcrt.exe alloc8demo.dll" "conformance_ucrt.exe alloc8demo.dll")
  if [ "$build" = cmake ]; then
    runs+=("conformance_static.exe")
  else
    static=("${test_flags[@]}" -DALLOC8_STATIC=1 "$src" "$gen"/windows/*.c "$demo"/*.c)
    $cc "${static[@]}" -o conformance_static_msvcrt.exe
    $cc "${static[@]}" -o conformance_static_ucrt.exe "${ucrt[@]}"
    runs+=("conformance_static_msvcrt.exe" "conformance_static_ucrt.exe")
  fi
  failed=0
  for run in "${runs[@]}"; do
    # shellcheck disable=SC2086 # program and argument
    "$wine" $run || { echo "FAIL: $run"; failed=1; }
  done
  exit $failed
fi

$cc "${flags[@]}" -shared -o late_module.dll "$repo/tests/windows/late_module.c"
# a module on the Universal CRT, without mingw-w64's own runtime
$cc "${flags[@]}" -fno-builtin -shared -nostdlib -o ucrt_module.dll "$repo/tests/windows/ucrt_module.c" \
  -lucrtbase -lkernel32
$cc "${test_flags[@]}" -o "$test.exe" "$repo/tests/windows/$test.c"
"$wine" "$test.exe" alloc8demo.dll late_module.dll ucrt_module.dll
