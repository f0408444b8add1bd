#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The interposer loads and serves a program with LD_BIND_NOW=1 (every symbol resolved at load).
# Usage: bind_now.sh <lib.so> <binary> [args...]
set -euo pipefail
lib=$1 bin=$2; shift 2
stats=$(mktemp)
trap 'rm -f "$stats"' EXIT
LD_BIND_NOW=1 LD_PRELOAD="$lib" ALLOC8_DEMO_STATS="$stats" "$bin" "$@" >/dev/null \
  || { echo "FAIL: $bin failed with LD_BIND_NOW=1"; exit 1; }
mallocs=$(sed -nE 's/^alloc8-demo: pid=[0-9]+ malloc=([0-9]+) .*/\1/p' "$stats" | head -1)
[ -n "$mallocs" ] && [ "$mallocs" -gt 0 ] || { echo "FAIL: no allocations served with LD_BIND_NOW=1"; exit 1; }
echo "bind_now: $(basename "$bin") ran with LD_BIND_NOW=1, malloc=$mallocs served by the interposer"
