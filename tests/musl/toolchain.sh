#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# alloc8_add_interposer with a musl toolchain and no PLATFORM: configures tests/musl/toolchain with
# musl-gcc as the C compiler, builds the demo allocator's interposer, and checks that the platform
# chosen was musl, that the library needs musl's libc.so and nothing of glibc's, and that it serves
# the musl conformance program under LD_PRELOAD.
# Usage: toolchain.sh <repo> <musl-gcc> <musl_conformance> <work dir> <python>
set -euo pipefail
repo=$1 musl_gcc=$2 conformance=$3 work=$4 python=$5
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
cmake -S "$repo/tests/musl/toolchain" -B "$work" -DCMAKE_C_COMPILER="$musl_gcc" -DALLOC8_SOURCE_DIR="$repo" \
  -DALLOC8_PYTHON="$python" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$work.configure.log" 2>&1 ||
  { cat "$work.configure.log"; fail "configure with $musl_gcc"; }
cmake --build "$work" >"$work.build.log" 2>&1 || { tail -30 "$work.build.log"; fail "build"; }
platform=$(cat "$work/platform.txt")
[ "$platform" = musl ] || fail "the platform chosen for a musl toolchain was '$platform'"
[ -f "$work/alloc8/demo/musl/alloc8demo_malloc.c" ] || fail "no musl glue was generated"
needed=$(readelf -d "$work/libdemo.so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
[ "$needed" = "libc.so " ] || fail "libdemo.so needs '$needed', expected musl's libc.so alone"
LD_PRELOAD="$work/libdemo.so" "$conformance" --alloc8 >"$work.run.log" || { cat "$work.run.log"; fail "conformance"; }
tail -1 "$work.run.log"
echo "toolchain: platform musl chosen by itself; libdemo.so needs $needed"
