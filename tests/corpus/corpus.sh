#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real-program corpus (CTest label `corpus`).
#
#   corpus.sh reference <case> <dir> [cxx_workload]
#       make the case's inputs in <dir> and run it without an interposer:
#       <dir>/reference.out and <dir>/reference.status
#   corpus.sh check <case> <dir> <binding> <interposer.so> [cxx_workload]
#       run it under LD_PRELOAD=<interposer.so>: output and exit status must equal the reference,
#       and the run must prove it was served by the binding:
#         - ld.so's own record (LD_DEBUG=bindings, written to files) shows the programs' malloc
#           bound to the interposer;
#         - the allocator's counters show it allocated (printed at exit by the allocator itself:
#           ALLOC8_DEMO_STATS, MIMALLOC_SHOW_STATS, MALLOCSTATS, MALLOC_CONF=stats_print; glibc
#           and tbbmalloc have no such report, so for them the ld.so record is the proof).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=$1 case=$2 dir=$3
shift 3
fail() { echo "FAIL: corpus $case${binding:+ ($binding)}: $*"; exit 1; }
# shellcheck source=cases.sh
source "$here/cases.sh"
declare -F "run_$case" >/dev/null || fail "unknown case"
if declare -F "available_$case" >/dev/null && ! "available_$case"; then
  echo "SKIP: corpus $case: its program is not installed here (scripts/deps.sh installs it)"
  exit 77
fi

target_env=()
# target <command...>: run a program under test (its stderr is kept in the work directory)
target() { env "${target_env[@]}" "$@" 2>>"$work/target.stderr"; }

if [ "$mode" = reference ]; then
  binding=""
  cxx_workload=${1:-}
  rm -rf "$dir" && mkdir -p "$dir/work"
  work=$dir/work
  "input_$case" "$dir"
  status=0
  "run_$case" "$dir" "$work" >"$dir/reference.out" || status=$?
  echo "$status" >"$dir/reference.status"
  rm -rf "$work"
  echo "corpus $case: reference run done (exit status $status, $(wc -l <"$dir/reference.out") lines of output)"
  exit 0
fi

[ "$mode" = check ] || fail "usage: corpus.sh reference|check ..."
binding=$1 lib=$2 cxx_workload=${3:-}
[ -f "$dir/reference.status" ] || fail "no reference run in $dir (the corpus.reference.$case test sets it up)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/ld"
target_env=(LD_PRELOAD="$lib" LD_DEBUG=bindings LD_DEBUG_OUTPUT="$work/ld/bind")
# Stats printed at exit go to stderr; Python's regression tests check their children's stderr, so
# there only the file-based counters (demo) are asked for.
# Programs that close stderr before exiting lose those reports too.
stats_on_stderr=1
[ "$case" != python_regrtest ] || stats_on_stderr=0
closed=stderr_closed_$case
[ -z "${!closed:-}" ] || stats_on_stderr=0
case $binding in
  demo) target_env+=(ALLOC8_DEMO_STATS="$work/demo.stats") ;;
  mimalloc) [ $stats_on_stderr = 0 ] || target_env+=(MIMALLOC_SHOW_STATS=1) ;;
  tcmalloc) [ $stats_on_stderr = 0 ] || target_env+=(MALLOCSTATS=1) ;;
  jemalloc) [ $stats_on_stderr = 0 ] || target_env+=(MALLOC_CONF=stats_print:true) ;;
  glibc | tbb) ;; # no report at exit: the ld.so record below is the proof
  *) fail "unknown binding (demo, glibc, mimalloc, tcmalloc, jemalloc, tbb)" ;;
esac

mkdir "$work/run"
status=0
"run_$case" "$dir" "$work/run" >"$work/out" || status=$?
expected=$(cat "$dir/reference.status")
if [ "$status" != "$expected" ]; then
  tail -40 "$work/target.stderr" 2>/dev/null || true # e.g. Python's faulthandler report
  fail "exit status $status under the interposer, $expected without"
fi
if ! cmp -s "$dir/reference.out" "$work/out"; then
  diff "$dir/reference.out" "$work/out" | head -20
  fail "output differs under the interposer"
fi

# 1. ld.so bound the programs' malloc to the interposer (lines: binding file X [0] to LIB [0]: normal symbol `malloc')
bound=$(grep -l "to $lib \[0\]: normal symbol \`malloc'" "$work"/ld/bind.* 2>/dev/null | wc -l)
[ "$bound" -gt 0 ] || fail "ld.so never bound malloc to $lib: the interposer was not used"

# 2. the allocator's own counters
stderr_file=$work/target.stderr
touch "$stderr_file"
proof="ld.so bound malloc to the interposer in $bound process(es)"
[ $stats_on_stderr = 1 ] || [ "$binding" = demo ] || [ "$binding" = glibc ] || [ "$binding" = tbb ] ||
  proof="$proof (the allocator's exit report cannot be read for this case)"
# exit_report <allocator> <regex> <what>: the processes whose report at exit matches <regex>
exit_report() {
  local n
  n=$(grep -cE "$2" "$stderr_file" || true)
  [ "$n" -gt 0 ] || fail "$1's report at exit shows no $3"
  proof="$proof; $1's report at exit shows $3 in $n process(es)"
}
case $binding:$stats_on_stderr in
  demo:*)
    mallocs=$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "malloc") m += kv[2] } } END { print m + 0 }' "$work/demo.stats" 2>/dev/null || echo 0)
    [ "$mallocs" -gt 0 ] || fail "the demo allocator's counters show no malloc"
    proof="$proof; the demo allocator served $mallocs mallocs" ;;
  mimalloc:1) exit_report mimalloc '^ *reserved: +[1-9]' "memory reserved" ;;
  tcmalloc:1) exit_report tcmalloc '^MALLOC: += +[1-9][0-9]* .*Actual memory used' "memory in use" ;;
  jemalloc:1)
    mallocs=$(awk '$1 == "total:" && NF > 3 { n += $3 } END { print n + 0 }' "$stderr_file")
    [ "$mallocs" -gt 0 ] || fail "jemalloc's report at exit shows no allocation"
    proof="$proof; jemalloc's report at exit counts $mallocs allocations" ;;
esac
echo "corpus $case ($binding): same output and exit status ($status) as without the interposer; $proof"
