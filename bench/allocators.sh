#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real allocators through their generated bindings (bindings/*.yaml) versus the allocators' own
# LD_PRELOAD libraries, and glibc through the passthrough binding versus glibc alone. Reports, in
# one run:
#   - callgrind instructions per malloc(32)/free pair (2*PAIRS minus PAIRS pairs, / PAIRS), with
#     the share executed inside the binding's own code (the glue);
#   - the same for bench/forwarder.c, bare tail calls into the allocator from a library of their
#     own: the floor for any interposer that is not the allocator's own library;
#   - wall time of bench/workloads.c (larson, xmalloc, threadtest) on THREADS threads: median of
#     RUNS alternating runs (own library, forwarder, binding, own, ...) with the spread, and the
#     ratios binding / own and binding / forwarder.
# Usage: bench/allocators.sh <build dir> [runs (default 7)] [scale (default 100000)] [threads (default 4)]
#                            [pairs (default 100000)]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$1 runs=${2:-7} scale=${3:-100000} threads=${4:-4} pairs=${5:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
libdir=$(gcc -print-multiarch 2>/dev/null || true)
libdir=/usr/lib/${libdir:-x86_64-linux-gnu}
gcc -std=c11 -O2 -g -fno-builtin "$repo/bench/pairs.c" -o "$work/pairs"
gcc -std=c11 -O2 -g -pthread "$repo/bench/workloads.c" -o "$work/workloads"

# forwarder <name>: bench/forwarder.c built for one allocator
forwarder() {
  local links=(-lmimalloc) out=$work/fwd_$1.so
  case $1 in
    glibc) links=() ;; tcmalloc) links=(-ltcmalloc_minimal) ;; tbb) links=(-ltbbmalloc) ;;
    jemalloc) links=(-Wl,--no-as-needed -ljemalloc -ldl) ;; # found with dlsym: kept linked
  esac
  [ -f "$out" ] || gcc -std=c11 -O2 -g -fPIC -fno-plt -shared -D "FWD_${1^^}" "$repo/bench/forwarder.c" \
    -o "$out" "${links[@]}"
  echo "$out"
}

# allocator name, its own preload library ("" for glibc: nothing preloaded)
# (TBB's own replacement library is libtbbmalloc_proxy, over libtbbmalloc's scalable_* functions)
allocators=("glibc:" "mimalloc:$libdir/libmimalloc.so.2" "tcmalloc:$libdir/libtcmalloc_minimal.so.4"
            "jemalloc:$libdir/libjemalloc.so.2" "tbb:$libdir/libtbbmalloc_proxy.so.2")

# glue_share <binding name>: instructions per pair executed in the binding's generated code, from
# the two profiles that per_unit just left of the binding (the same runs, not run again)
glue_share() {
  local small large
  small=$(callgrind_in "/alloc8/a8$1/" "$work/cg.small.out")
  large=$(callgrind_in "/alloc8/a8$1/" "$work/cg.large.out")
  echo $(((large - small) / pairs))
}
# callgrind_in <path part> <profile>: instructions the profiled command executed in functions
# defined in source files whose path contains <path part>
callgrind_in() {
  callgrind_annotate --auto=no --threshold=100 "$2" 2>/dev/null |
    awk -v part="$1" 'index($0, part) { gsub(",", "", $1); n += $1 } END { print n + 0 }'
}

echo "Instructions per malloc(32)/free pair (callgrind; $(thousands $((2 * pairs))) minus $(thousands "$pairs") pairs, / $(thousands "$pairs")):"
echo
echo "| allocator | its own library | minimal forwarder | through the alloc8 binding | binding − own | in the glue's own code |"
echo "|---|---|---|---|---|---|"
for entry in "${allocators[@]}"; do
  name=${entry%%:*} own=${entry#*:} binding=$build/bindings/liba8${name}.so
  [ -f "$binding" ] || { echo "| $name | binding not built | | | |"; continue; }
  if [ -n "$own" ] && [ ! -f "$own" ]; then echo "| $name | $own missing | | | |"; continue; fi
  mine=$(LD_PRELOAD=$own per_unit "$pairs" "$work/pairs")
  floor=$(LD_PRELOAD=$(forwarder "$name") per_unit "$pairs" "$work/pairs")
  ours=$(LD_PRELOAD=$binding per_unit "$pairs" "$work/pairs")
  glue=$(glue_share "$name") # right after the binding's runs: it reads their profiles
  label=$([ -n "$own" ] && echo "$(basename "$own")" || echo "glibc alone")
  echo "| $name | $mine ($label) | $floor | $ours | $((ours - mine)) | $glue |"
done
echo

echo "Wall time of multi-threaded workloads ($threads threads, scale $scale; median of $runs alternating runs, spread = (max-min)/median):"
echo
echo "| allocator | workload | own library, s | minimal forwarder, s | binding, s | binding / own | binding / forwarder |"
echo "|---|---|---|---|---|---|---|"
for entry in "${allocators[@]}"; do
  name=${entry%%:*} own=${entry#*:} binding=$build/bindings/liba8${name}.so
  [ -f "$binding" ] || continue
  [ -z "$own" ] || [ -f "$own" ] || continue
  for workload in larson xmalloc threadtest; do
    fwd=$(forwarder "$name")
    : >"$work/own" && : >"$work/fwd" && : >"$work/ours"
    for _ in $(seq "$runs"); do # alternate, so drift on a noisy machine hits all alike
      LD_PRELOAD=$own "$work/workloads" $workload "$threads" "$scale" >>"$work/own"
      LD_PRELOAD=$fwd "$work/workloads" $workload "$threads" "$scale" >>"$work/fwd"
      LD_PRELOAD=$binding "$work/workloads" $workload "$threads" "$scale" >>"$work/ours"
    done
    a=$(median <"$work/own") f=$(median <"$work/fwd") b=$(median <"$work/ours")
    echo "| $name | $workload | $a ($(spread <"$work/own")) | $f ($(spread <"$work/fwd")) | $b ($(spread <"$work/ours")) |" \
      "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }') | $(awk -v a="$f" -v b="$b" 'BEGIN { printf "%.3f", b / a }') |"
  done
done
