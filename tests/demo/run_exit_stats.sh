#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo allocator's exit report: ALLOC8_DEMO_STATS=<file> appends exactly one line in the
# documented format; =stderr prints it to standard error; unset prints nothing.
# Usage: run_exit_stats.sh <test_demo_allocator binary>
set -euo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
format='^alloc8-demo: pid=[0-9]+ malloc=([0-9]+) free=[0-9]+ memalign=[0-9]+ usable_size=[0-9]+ bytes=[0-9]+ large=[0-9]+ threads=[0-9]+ reused=[0-9]+ inits=[0-9]+ cleanups=[0-9]+ unhooked=[0-9]+ after_cleanup=[0-9]+$'
ALLOC8_DEMO_STATS="$work/stats.txt" "$bin" >/dev/null
[ "$(wc -l <"$work/stats.txt")" = 1 ] || { echo "FAIL: expected one line in the stats file"; cat "$work/stats.txt"; exit 1; }
grep -Eq "$format" "$work/stats.txt" || { echo "FAIL: bad line: $(cat "$work/stats.txt")"; exit 1; }
[ "$(sed -E "s/$format/\\1/" "$work/stats.txt")" -gt 0 ] || { echo "FAIL: malloc=0"; exit 1; }
ALLOC8_DEMO_STATS=stderr "$bin" 2>"$work/err" >/dev/null
grep -Eq "$format" "$work/err" || { echo "FAIL: nothing on stderr with ALLOC8_DEMO_STATS=stderr"; exit 1; }
env -u ALLOC8_DEMO_STATS "$bin" 2>"$work/err2" >/dev/null
if grep -q alloc8-demo "$work/err2"; then echo "FAIL: a report without ALLOC8_DEMO_STATS"; exit 1; fi
echo "exit stats: $(cat "$work/stats.txt")"
