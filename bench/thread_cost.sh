#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Thread hooks cost: the demo allocator's interposer generated from spec/allocator.yaml, built twice
# from the same generated sources, with the hooks on (-DALLOC8_THREAD_HOOKS=1, as shipped) and
# off (=0, the code a spec without a `threads:` section gets). Reports, in one run:
#   - wall time per pthread_create + malloc/free + pthread_join: median of RUNS alternating runs of
#     THREADS threads each, for glibc alone, hooks off and hooks on, and the on/off ratio;
#   - callgrind instructions per thread life (hooks on vs off; 2*CG_THREADS minus CG_THREADS
#     threads, / CG_THREADS);
#   - callgrind instructions per malloc(32)/free pair in the main thread (hooks on vs off): the
#     per-call thread check (2*PAIRS minus PAIRS pairs, / PAIRS).
# Usage: bench/thread_cost.sh [runs (default 9)] [threads per run (default 4000)]
#                             [cg_threads (default 1000)] [pairs (default 100000)]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-9} threads=${2:-4000} cg_threads=${3:-1000} pairs=${4:-100000}
python=${ALLOC8_PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
demo=$repo/examples/demo_allocator
PYTHONPATH=$repo/gen "$python" -m alloc8gen "$repo/spec/allocator.yaml" --platform linux --out "$work/gen"
glue=$work/gen/linux
flags=(-std=c11 -O2 -g -fPIC -fvisibility=hidden -ftls-model=initial-exec -pthread)
for hooks in 0 1; do
  gcc "${flags[@]}" -shared -DALLOC8_THREAD_HOOKS=$hooks -fexceptions -I"$glue" -I"$demo" \
      "$glue"/*.c "$demo"/*.c -o "$work/hooks$hooks.so" -ldl
done
gcc -std=c11 -O2 -fno-builtin -pthread "$repo/bench/threads.c" -o "$work/threads"
gcc -std=c11 -O2 -fno-builtin "$repo/bench/pairs.c" -o "$work/pairs"

seconds() { # <preload or ""> : wall seconds of one run
  local start end
  start=$(date +%s%N)
  LD_PRELOAD=$1 "$work/threads" "$threads"
  end=$(date +%s%N)
  echo $((end - start))
}
: >"$work/glibc"; : >"$work/off"; : >"$work/on"
for _ in $(seq "$runs"); do # alternate, so drift on a noisy machine hits all three alike
  seconds "" >>"$work/glibc"
  seconds "$work/hooks0.so" >>"$work/off"
  seconds "$work/hooks1.so" >>"$work/on"
done
us() { awk -v ns="$1" -v n="$threads" 'BEGIN { printf "%.1f", ns / n / 1000 }'; }
g=$(median <"$work/glibc") off=$(median <"$work/off") on=$(median <"$work/on")

per() { # <preload> <program> <small count>
  LD_PRELOAD=$1 per_unit "$3" "$2"
}
if command -v valgrind >/dev/null; then
  t_off=$(per "$work/hooks0.so" "$work/threads" "$cg_threads"); t_on=$(per "$work/hooks1.so" "$work/threads" "$cg_threads")
  p_off=$(per "$work/hooks0.so" "$work/pairs" "$pairs"); p_on=$(per "$work/hooks1.so" "$work/pairs" "$pairs")
else
  t_off=n/a t_on=n/a p_off=n/a p_on=n/a
fi

echo "thread hooks: $runs alternating runs of $threads threads each (median; spread = (max-min)/median)"
echo
echo "| measure | glibc alone | interposer, hooks off | interposer, hooks on | on / off |"
echo "|---|---|---|---|---|"
echo "| wall µs per create + malloc/free + join | $(us "$g") ($(spread <"$work/glibc")) | $(us "$off") ($(spread <"$work/off")) | $(us "$on") ($(spread <"$work/on")) | $(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.3f", a / b }') |"
echo "| callgrind instructions per thread life | | $t_off | $t_on | +$((t_on - t_off)) |"
echo "| callgrind instructions per malloc(32)/free pair | | $p_off | $p_on | +$((p_on - p_off)) |"
