#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Glue cost: instructions per malloc(32)/free pair through the generated interposer, against the
# same demo allocator called directly, and against glibc. Instruction counts come from
# valgrind --tool=callgrind (repeatable on a noisy machine); each figure is the difference between
# a run of 200,000 and one of 100,000 pairs divided by 100,000, so start-up cost cancels out.
# Usage: bench/glue_cost.sh [build dir] [interposer .so]   (needs valgrind; builds liballoc8demo.so if missing)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$repo/build}
command -v valgrind >/dev/null || { echo "glue_cost: valgrind is required (apt-get install valgrind)"; exit 1; }
[ -f "$build/liballoc8demo.so" ] || { cmake -S "$repo" -B "$build" >/dev/null && cmake --build "$build" --target alloc8demo >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
demo=$repo/examples/demo_allocator
flags=(-std=c11 -O2 -fno-builtin -g)
# the demo allocator with its entry points exported, for the direct calls
gcc "${flags[@]}" -fPIC -shared -fno-semantic-interposition -ftls-model=initial-exec -pthread -I"$demo" "$demo"/*.c -o "$work/libdemo_direct.so"
gcc "${flags[@]}" -DALLOC8_BENCH_DIRECT "$repo/bench/pairs.c" -o "$work/pairs_direct" -L"$work" -ldemo_direct -Wl,-rpath,"$work"
gcc "${flags[@]}" "$repo/bench/pairs.c" -o "$work/pairs_malloc"

per_pair() { # <command...> (LD_PRELOAD from $preload)
  LD_PRELOAD=${preload:-} per_unit 100000 "$@"
}
glibc=$(per_pair "$work/pairs_malloc")
direct=$(per_pair "$work/pairs_direct")
glued=$(preload=${2:-$build/liballoc8demo.so} per_pair "$work/pairs_malloc")
echo "| path | instructions per malloc(32)/free pair |"
echo "|---|---|"
echo "| glibc malloc/free | $glibc |"
echo "| demo allocator, entry points called directly | $direct |"
echo "| demo allocator through the generated glue (LD_PRELOAD) | $glued |"
echo "| glue cost (difference) | $((glued - direct)) |"
