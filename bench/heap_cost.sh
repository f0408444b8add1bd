#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Heap costs: arena allocation versus GC_malloc, and the generated heap dispatch (bench/heap.yaml)
# versus calling GC_malloc directly. Reports, in one run:
#   - wall ns per 32-byte node: median of RUNS alternating runs of COUNT nodes for each workload
#     of bench/heap.c, with the spread, and the ratios;
#   - callgrind instructions per node (2*COUNT/10 minus COUNT/10 nodes, divided by COUNT/10).
# Usage: bench/heap_cost.sh [runs (default 9)] [nodes per run (default 4000000)]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-9} count=${2:-4000000}
python=${ALLOC8_PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
PYTHONPATH=$repo/gen "$python" -m alloc8gen "$repo/bench/heap.yaml" --platform linux --out "$work/gen"
gcc -std=c11 -O2 -g -pthread -DALLOC8_RT_HAVE_GC=1 -I"$repo/runtime/include" -I"$work/gen/linux" \
    "$repo/bench/heap.c" "$work/gen/linux/bench_heap.c" "$repo"/runtime/src/*.c -o "$work/heap" -lgc

modes=(gc dispatch-gc arena dispatch-arena)
ns() { # <mode> : wall ns per node of one run
  local start end
  start=$(date +%s%N)
  "$work/heap" "$1" "$count"
  end=$(date +%s%N)
  awk -v t=$((end - start)) -v n="$count" 'BEGIN { printf "%.2f\n", t / n }'
}
for m in "${modes[@]}"; do : >"$work/$m"; done
for _ in $(seq "$runs"); do # alternate, so drift on a noisy machine hits every workload alike
  for m in "${modes[@]}"; do ns "$m" >>"$work/$m"; done
done
declare -A med ins
for m in "${modes[@]}"; do med[$m]=$(median <"$work/$m"); done

for m in "${modes[@]}"; do
  if command -v valgrind >/dev/null; then
    ins[$m]=$(per_unit $((count / 10)) "$work/heap" "$m")
  else
    ins[$m]=n/a
  fi
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0 || a == "n/a" || b == "n/a") print "n/a"; else printf "%.2f", a / b }'; }

echo "heap costs: $runs alternating runs of $count 32-byte nodes each (median; spread = (max-min)/median)"
echo
echo "| workload | wall ns per node | callgrind instructions per node |"
echo "|---|---|---|"
for m in "${modes[@]}"; do
  echo "| $m | ${med[$m]} ($(spread <"$work/$m")) | ${ins[$m]} |"
done
echo
echo "| ratio | wall | instructions |"
echo "|---|---|---|"
echo "| arena / GC_malloc | $(ratio "${med[arena]}" "${med[gc]}") | $(ratio "${ins[arena]}" "${ins[gc]}") |"
echo "| heap dispatch in an arena / GC_malloc | $(ratio "${med[dispatch-arena]}" "${med[gc]}") | $(ratio "${ins[dispatch-arena]}" "${ins[gc]}") |"
echo "| heap dispatch, GC path / GC_malloc | $(ratio "${med[dispatch-gc]}" "${med[gc]}") | $(ratio "${ins[dispatch-gc]}" "${ins[gc]}") |"
