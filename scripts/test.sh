#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build everything and run the whole test suite (installs missing dependencies first).
# Usage: scripts/test.sh [--load N] [build dir] [extra ctest args...]
#   --load N   keep N extra CPU-bound processes running while the suite builds and runs, as on a
#              busy CI runner (tests/README.md: the suite must pass like that too)
# The CTest output is also written to <build dir>/ctest.log; skipped tests are listed at its end
# ("The following tests did not run"), each with its reason in the test's output.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
load=0
if [ "${1:-}" = --load ]; then
  [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "usage: scripts/test.sh [--load N] [build dir] [ctest args...]" >&2; exit 2; }
  load=$2
  shift 2
fi
build=${1:-$repo/build}
shift || true
bash "$repo/scripts/deps.sh"

hogs=()
stop_hogs() { [ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null || true; }
trap stop_hogs EXIT
for _ in $(seq "$load"); do
  bash -c 'while :; do :; done' &
  hogs+=($!)
done
[ "$load" = 0 ] || echo "alloc8: running with $load extra CPU-bound processes (pids ${hogs[*]})"

start=$(date +%s)
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLOC8_BUILD_TESTS=ON
cmake --build "$build" -j "$(nproc)"
built=$(date +%s)
status=0
# --timeout: a safety net for tests without a TIMEOUT of their own (the longest takes about 2 min loaded)
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 900 "$@" 2>&1 | tee "$build/ctest.log" || status=$?
end=$(date +%s)
echo "alloc8: build $((built - start)) s, tests $((end - built)) s (with $load extra CPU-bound processes)"
exit $status
