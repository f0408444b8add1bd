#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The benchmark suite must keep working: run bench/run.sh --quick against this build and check
# that every section produced its figures (numbers, not "not built" or "n/a").
# Usage: run_quick.sh <repo> <build dir>
set -euo pipefail
repo=$1 build=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bash "$repo/bench/run.sh" --quick --no-build --out "$out" "$build"
fail() { echo "FAIL: bench --quick: $*"; cat "$out"; exit 1; }
for section in "Real allocators through their bindings" "The glue's cost per call" "Thread hooks" \
               "Heap dispatch versus GC_malloc" "Generator wall time"; do
  grep -q "^## $section" "$out" || fail "no section '$section'"
done
grep -qE "^\| glue cost \(difference\) \| -?[0-9]+ \|$" "$out" || fail "no glue cost figure"
for allocator in glibc mimalloc tcmalloc jemalloc; do
  grep -qE "^\| $allocator \| [0-9]+ \(" "$out" || fail "no instruction counts for $allocator"
  [ "$(grep -cE "^\| $allocator \| (larson|xmalloc|threadtest) \| [0-9.]+ " "$out")" = 3 ] || fail "missing workload times for $allocator"
done
! grep -qE "not built|missing|n/a" "$out" || fail "a figure is missing"
echo "bench --quick: every section measured"
