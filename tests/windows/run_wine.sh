#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Cross-compile the demo allocator's Windows interposer from spec/allocator.yaml with mingw-w64, and
# run the Windows tests under Wine (docs/platforms.md says what this does and does not prove).
# Usage: run_wine.sh <step> <repo root> <python with jinja2+yaml> <dir>
#   dir          tests/windows in the build tree: dir/wineprefix, dir/shared, one work dir per test
#   prefix       (fixture windows.prefix) the Wine prefix every test uses, made once per build tree,
#                and its wineserver, started for the run
#   stop         (its cleanup, windows.stop) that wineserver ended
#   build        (fixture windows.build) what several tests share, in dir/shared: the glue, the DLL,
#                late_module.dll, ucrt_module.dll, conformance.c against msvcrt.dll and the UCRT
#   crt_served, stress
#                the program loads the DLL
#   conformance  tests/windows/conformance.c, four times: against msvcrt.dll and the Universal CRT,
#                each with the DLL and with the interposer linked in (ALLOC8_STATIC)
#   toplevel     (fixture windows.toplevel) the project's top level configured and built with
#                cmake/toolchains/mingw-w64-x86_64.cmake, in dir/toplevel-build: the runtime and the
#                demo allocator's DLL
#   cmake        the same as conformance, with the top level's DLL and the static library that
#                alloc8_add_interposer built in a project that adds alloc8 with add_subdirectory
#                (tests/windows/cmake_project), and runtime_check.c linked to its alloc8::runtime
#   tls          an allocator with its thread state in a C thread-local (tls_alloc.c), as a DLL and
#                linked in (msvcrt.dll and the UCRT), under a program that starts threads
# Exit 77 (CTest: skipped) when mingw-w64 or Wine is missing; scripts/deps.sh installs both. Every
# step checks this itself: CTest runs a fixture's dependents even when the fixture was skipped.
set -euo pipefail
step=$1 repo=$(cd "$2" && pwd) python=$3 dir=$4
cc=x86_64-w64-mingw32-gcc
wine=$(command -v wine64 || command -v wine || true)
wineserver=$(command -v wineserver || true)
if ! command -v $cc >/dev/null || [ -z "$wine" ] || [ -z "$wineserver" ]; then
  echo "SKIP: mingw-w64 ($cc) or Wine (wine, wineserver) is not installed (scripts/deps.sh installs them)"
  exit 77
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
shared=$dir/shared
gen=$shared/gen
demo=$repo/examples/demo_allocator
base=(-std=c11 -O2 -Wall -Wextra -Werror -Wpedantic)
flags=("${base[@]}" -I"$gen/windows" -I"$demo")
# -fno-builtin: every malloc/free in a test really calls the C runtime (not folded away by gcc)
test_flags=("${flags[@]}" -fno-builtin)
# A program on the Universal CRT (ucrtbase.dll through its api-ms-win-crt-* API sets) instead of
# msvcrt.dll: mingw-w64's default libraries with libucrt in place of libmsvcrt.
ucrt=(-D_UCRT -nodefaultlibs -lmingw32 -lgcc -lgcc_eh -lmingwex -lucrt -lkernel32 -ladvapi32 -lshell32 -luser32 -lkernel32)

# One prefix for the whole run: several wine processes at once share its wineserver. Nothing is
# written into the prefix by the tests (each one runs in its own work dir). winemenubuilder off:
# no menu entries in $HOME.
prefix=$dir/wineprefix ready=$dir/wineprefix/alloc8-ready
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES=winemenubuilder.exe=d

# One wineserver for the whole run, kept without a timeout ("-p"): the fixture windows.prefix
# starts it and windows.stop ends it. It saves each test the start of a server and of Wine's
# services (1.5 s or more each), and it never shuts down between tests: a wineserver with a
# timeout starts its shutdown that long after its last program ended and then closes its socket
# and ends every program it serves, one that was starting at that moment too (Wine 8's
# server/process.c, server_shutdown_timeout): such a program ended with no output at all.
start_server() {
  "$wineserver" -p </dev/null >/dev/null 2>&1 || true # exit 2: one already runs
}

# Runs a Windows program (a server is started if none runs: windows.prefix did not run, or a
# test ran on its own). The program's output goes through a file: the services that the first
# program of a wineserver starts inherit its stdout and stderr, and would hold CTest's pipe open
# until that wineserver exits (while another test may still be using it). Its exit status is
# printed when it is not 0 (Wine's: the low byte of the program's exit code).
# watchdog: a command run() puts in front of wine (the tls step's: a hang fails at once, clearly).
watchdog=()
run() {
  local log=$work/${1%.exe}.log rc=0
  start_server
  "${watchdog[@]}" "$wine" "$@" >"$log" 2>&1 || rc=$?
  cat "$log"
  if [ $rc = 124 ] && [ ${#watchdog[@]} != 0 ]; then
    echo "FAIL: $1 hung: ended after ${watchdog[-1]} s (it needs a few)"
  elif [ $rc != 0 ]; then
    echo "FAIL: $* exited with status $rc"
  fi
  return $rc
}

# A test starts from an empty work dir, in the prefix that the fixture windows.prefix made.
start() {
  work=$dir/$1
  rm -rf "$work"
  mkdir -p "$work"
  cd "$work"
  if [ ! -f "$ready" ]; then
    echo "FAIL: no Wine prefix in $prefix (the fixture windows.prefix makes it)"
    exit 1
  fi
}

# Copies what the fixture windows.build made into the work dir.
take() {
  local f
  for f in "$@"; do
    if [ ! -f "$shared/$f" ]; then
      echo "FAIL: $shared/$f is missing (the fixture windows.build makes it)"
      exit 1
    fi
    cp "$shared/$f" .
  done
}

case $step in
prefix)
  if [ ! -f "$ready" ]; then
    rm -rf "$prefix" # left half-made by an interrupted run
    log=$dir/wineboot.log
    "$wine" wineboot --init >"$log" 2>&1 || { cat "$log"; echo "FAIL: wineboot --init"; exit 1; }
    "$wineserver" -w # the registry is on disk once the wineserver is gone
    touch "$ready"
  else
    # a server an interrupted run left (it has no timeout): its programs are gone with that run
    "$wineserver" -k >/dev/null 2>&1 || true
    "$wineserver" -w
  fi
  start_server
  echo "Wine prefix: $prefix (its wineserver runs until windows.stop)"
  ;;

stop)
  # (fixture cleanup of windows.prefix) every test that uses the server has ended
  if [ -f "$ready" ]; then
    "$wineserver" -k >/dev/null 2>&1 || true # exit 1: none runs
    "$wineserver" -w
  fi
  echo "Wine prefix $prefix: no wineserver runs"
  ;;

build)
  rm -rf "$shared" # nothing from an earlier run
  mkdir -p "$shared"
  cd "$shared"
  PYTHONPATH="$repo/gen" "$python" -m alloc8gen "$repo/spec/allocator.yaml" --platform windows --out "$gen"
  $cc "${flags[@]}" -shared -static-libgcc -o alloc8demo.dll "$gen"/windows/*.c "$demo"/*.c
  $cc "${flags[@]}" -shared -o late_module.dll "$repo/tests/windows/late_module.c"
  # a module on the Universal CRT, without mingw-w64's own runtime
  $cc "${flags[@]}" -fno-builtin -shared -nostdlib -o ucrt_module.dll "$repo/tests/windows/ucrt_module.c" \
    -lucrtbase -lkernel32
  $cc "${test_flags[@]}" -o conformance_msvcrt.exe "$repo/tests/windows/conformance.c"
  $cc "${test_flags[@]}" -o conformance_ucrt.exe "$repo/tests/windows/conformance.c" "${ucrt[@]}"
  ls
  ;;

crt_served | stress)
  start "$step"
  take alloc8demo.dll late_module.dll ucrt_module.dll
  $cc "${test_flags[@]}" -o "$step.exe" "$repo/tests/windows/$step.c"
  run "$step.exe" alloc8demo.dll late_module.dll ucrt_module.dll
  ;;

toplevel)
  # kept across runs (as a user's build tree is): CMake rebuilds what changed
  build=$dir/toplevel-build
  log=$dir/toplevel.log
  { cmake -S "$repo" -B "$build" -DALLOC8_PYTHON="$python" \
      -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/toolchains/mingw-w64-x86_64.cmake" &&
      cmake --build "$build"; } >"$log" 2>&1 || { cat "$log"; echo "FAIL: the top level does not build for Windows"; exit 1; }
  grep "alloc8: Windows build" "$log" || { echo "FAIL: no word of what a Windows build of the runtime leaves out"; exit 1; }
  for f in liballoc8demo.dll runtime/liballoc8rt.a; do
    [ -f "$build/$f" ] || { echo "FAIL: the top level built no $f"; exit 1; }
  done
  echo "built $build: liballoc8demo.dll, runtime/liballoc8rt.a"
  ;;

conformance | cmake)
  start "$step"
  take conformance_msvcrt.exe conformance_ucrt.exe
  runs=("conformance_msvcrt.exe alloc8demo.dll" "conformance_ucrt.exe alloc8demo.dll")
  if [ "$step" = cmake ]; then
    # the DLL from the top level's build (the fixture windows.toplevel)
    [ -f "$dir/toplevel-build/liballoc8demo.dll" ] || { echo "FAIL: no DLL from windows.toplevel"; exit 1; }
    cp "$dir/toplevel-build/liballoc8demo.dll" alloc8demo.dll
    # kept across runs (as a user's build tree is): CMake rebuilds what changed
    build=$dir/cmake-build
    { cmake -S "$repo/tests/windows/cmake_project" -B "$build" -DALLOC8_REPO="$repo" -DALLOC8_PYTHON="$python" \
        -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/toolchains/mingw-w64-x86_64.cmake" &&
        cmake --build "$build"; } >cmake.log 2>&1 ||
      { cat cmake.log; echo "FAIL: a project that adds alloc8 with add_subdirectory does not build for Windows"; exit 1; }
    cp "$build/conformance_static.exe" "$build/runtime_check.exe" .
    runs+=("conformance_static.exe" "runtime_check.exe")
  else
    take alloc8demo.dll
    static=("${test_flags[@]}" -DALLOC8_STATIC=1 "$repo/tests/windows/conformance.c" "$gen"/windows/*.c "$demo"/*.c)
    $cc "${static[@]}" -o conformance_static_msvcrt.exe
    $cc "${static[@]}" -o conformance_static_ucrt.exe "${ucrt[@]}"
    runs+=("conformance_static_msvcrt.exe" "conformance_static_ucrt.exe")
  fi
  failed=0
  for r in "${runs[@]}"; do
    # shellcheck disable=SC2086 # program and argument
    run $r || failed=1
  done
  exit $failed
  ;;

tls)
  start "$step"
  watchdog=(timeout -k 10 120)
  PYTHONPATH="$repo/gen" "$python" -m alloc8gen "$repo/tests/windows/tls_alloc.yaml" --platform windows --out gen
  tls=("${base[@]}" -I"$repo/tests/windows" -Igen/windows)
  allocator=(gen/windows/*.c "$repo/tests/windows/tls_alloc.c")
  linked=(-fno-builtin -DALLOC8_STATIC=1 -DTLS_ALLOC_STATIC=1 "$repo/tests/windows/tls_threads.c" "${allocator[@]}")
  $cc "${tls[@]}" -shared -static-libgcc -o tlsalloc.dll "${allocator[@]}"
  $cc "${tls[@]}" -fno-builtin -o tls_threads.exe "$repo/tests/windows/tls_threads.c"
  $cc "${tls[@]}" -o tls_linked_msvcrt.exe "${linked[@]}"
  # emulated TLS (libgcc_eh) needs libmingw32 once more, after it
  $cc "${tls[@]}" -o tls_linked_ucrt.exe "${linked[@]}" "${ucrt[@]}" -lmingw32 -lkernel32
  failed=0
  for r in "tls_threads.exe tlsalloc.dll" tls_linked_msvcrt.exe tls_linked_ucrt.exe; do
    # shellcheck disable=SC2086 # program and argument
    run $r || failed=1
  done
  exit $failed
  ;;

*)
  echo "run_wine.sh: unknown step $step" >&2
  exit 2
  ;;
esac
