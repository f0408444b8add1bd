#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The benchmark suite in one command: builds what it needs and writes BENCHMARKS.md (every figure
# a ratio or difference measured side by side in this one run, with the exact commands).
# Usage: bash bench/run.sh [--quick] [--no-build] [--out FILE] [build dir]
#   build dir   default build-bench/ (RelWithDebInfo); an existing directory must be an optimised build
#   --quick     the smallest inputs and one run of each (a smoke test of the suite, not a measurement)
#   --no-build  use the build directory as it is (the test suite's smoke test)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quick=0 build_first=1 out=$repo/BENCHMARKS.md build=$repo/build-bench
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --no-build) build_first=0 ;;
    --out) out=$2; shift ;;
    -*) echo "usage: bench/run.sh [--quick] [--no-build] [--out FILE] [build dir]" >&2; exit 2 ;;
    *) build=$1 ;;
  esac
  shift
done
# pairs and cg_threads: the malloc/free pairs and the threads of the callgrind runs
if [ $quick = 1 ]; then
  # a smoke test: every step still runs once, on inputs that take milliseconds (1000 is the
  # smallest scale workloads.c takes); callgrind's own start-up is most of what is left
  runs=1 scale=1000 threads=2 pairs=1000 thread_runs=1 thread_count=20 cg_threads=20 heap_runs=1
  heap_nodes=20000 gen_runs=1
else
  runs=11 scale=100000 threads=2 pairs=100000 thread_runs=9 thread_count=4000 cg_threads=1000 heap_runs=9
  heap_nodes=4000000 gen_runs=9
fi
if [ $build_first = 1 ]; then
  bash "$repo/scripts/deps.sh"
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build "$build" -j "$(nproc)" --target alloc8demo a8glibc a8mimalloc a8tcmalloc a8jemalloc a8tbb >/dev/null
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
case $build_type in
  Release|RelWithDebInfo) ;;
  *) [ $quick = 1 ] || { echo "bench: $build is a '${build_type:-unoptimised}' build; measure a Release or RelWithDebInfo one" >&2; exit 2; } ;;
esac
python=$(sed -n 's/^ALLOC8_PYTHON:FILEPATH=//p' "$build/CMakeCache.txt")
python=${python:-/usr/bin/python3}
# the interpreter itself rather than a wrapper that starts it (a pyenv shim adds most of a second
# to every start, which the generator's wall time would include)
python=$("$python" -c 'import sys; print(sys.executable)')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"

# generator wall time: `alloc8-gen SPEC --platform all` for one spec, median of $gen_runs runs, ms;
# $2: ALLOC8_TEMPLATE_CACHE (a directory of this run's own: filled by the first run; off: none)
gen_ms() {
  : >"$work/gen"
  for _ in $(seq "$gen_runs"); do
    local start end
    start=$(date +%s%N)
    ALLOC8_TEMPLATE_CACHE=$2 PYTHONPATH=$repo/gen "$python" -m alloc8gen "$1" --platform all --out "$work/out" >/dev/null 2>&1
    end=$(date +%s%N)
    echo $(((end - start) / 1000000)) >>"$work/gen"
  done
  echo "$(median <"$work/gen") ms ($(spread <"$work/gen"))"
}

rel() { echo "${1#"$repo"/}"; }
{
  echo "# Benchmarks"
  echo
  echo "Written by \`bash bench/run.sh$([ $quick = 1 ] && echo " --quick")\`; every figure comes from this one run."
  [ $quick = 0 ] || echo "**Quick mode: inputs too small to measure anything; this only proves the suite runs.**"
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), Linux $(uname -r),"
  echo "$(gcc --version | head -1), glibc $(ldd --version | head -1 | awk '{ print $NF }'). Wall times are"
  echo "medians of alternating runs with the spread (max − min) / median; instruction counts come from"
  echo "\`valgrind --tool=callgrind\` and are repeatable. See bench/README.md for what each one measures."
  echo
  echo "## Real allocators through their bindings, and the glue's own cost"
  echo
  echo "\`bash bench/allocators.sh $(rel "$build") $runs $scale $threads $pairs\` — the bindings in bindings/ versus each"
  echo "allocator's own \`LD_PRELOAD\` library (glibc: the passthrough binding versus glibc alone)."
  echo
  bash "$repo/bench/allocators.sh" "$build" "$runs" "$scale" "$threads" "$pairs"
  echo
  echo "Reading it: \"in the glue's own code\" is what the generated functions execute for the"
  echo "program's calls. The minimal forwarder (bench/forwarder.c) is a library of bare tail calls into"
  echo "the allocator, with no errno, alignment or zero-size handling: one more indirect jump per call"
  echo "than the allocator's own preload library, which callgrind counts as one instruction but which"
  echo "costs wall time in loops that do nothing but allocate. The bindings set \`direct_calls: true\`"
  echo "(docs/spec.md, \"Direct calls\"): where a glue function is nothing but that jump, the program's"
  echo "calls go to the allocator's function itself, so a binding can be faster than the forwarder."
  echo "That is \`malloc\` and \`free\` for glibc, mimalloc, tcmalloc and jemalloc, and \`free\` for TBB,"
  echo "whose \`malloc\` turns \`malloc(0)\` into \`malloc(1)\` first. mimalloc fails a request over"
  echo "PTRDIFF_MAX without setting errno but reports it to an error handler, which the binding"
  echo "registers (\`entry.register_error\`), so its \`malloc\` needs no check of its own. jemalloc's"
  echo "binding calls jemalloc's own \`malloc\` and \`free\` (\`library: libjemalloc.so.2\`: a library"
  echo "that defines \`malloc\` cannot name jemalloc's) through a table whose slots hold jemalloc's"
  echo "functions by the time \`main\` runs; the forwarder finds them with \`dlsym\` and checks that it"
  echo "has before each call. TBB's own replacement library, \`libtbbmalloc_proxy\`, frees through"
  echo "\`__TBB_malloc_safer_free\` (which first finds out whether the block is tbbmalloc's at all), the"
  echo "binding through \`scalable_free\`: the binding's pair costs fewer instructions than the"
  echo "allocator's own library there."
  echo
  echo "## The glue's cost per call, with the demo allocator"
  echo
  echo "\`bash bench/glue_cost.sh $(rel "$build")\` — the same demo allocator called directly and through"
  echo "the generated interposer (\`LD_PRELOAD\`), and glibc for scale."
  echo
  bash "$repo/bench/glue_cost.sh" "$build"
  echo
  echo "## Thread hooks: pthread_create + join with hooks versus without"
  echo
  echo "\`bash bench/thread_cost.sh $thread_runs $thread_count $cg_threads $pairs\`"
  echo
  bash "$repo/bench/thread_cost.sh" "$thread_runs" "$thread_count" "$cg_threads" "$pairs"
  echo
  echo "## Heap dispatch versus GC_malloc"
  echo
  echo "\`bash bench/heap_cost.sh $heap_runs $heap_nodes\`"
  echo
  bash "$repo/bench/heap_cost.sh" "$heap_runs" "$heap_nodes"
  echo
  echo "## Generator wall time"
  echo
  echo "\`alloc8-gen SPEC --platform all --out DIR\` (every platform the spec lists that this version"
  echo "generates), median of $gen_runs runs, including the Python start-up; the templates compiled"
  echo "in each run, and kept compiled between runs (the default: README.md, \`ALLOC8_TEMPLATE_CACHE\`)."
  echo
  echo "| spec | templates compiled each run | kept compiled |"
  echo "|---|---|---|"
  for spec in "$repo/spec/allocator.yaml" "$repo"/bindings/*.yaml; do
    echo "| $(rel "$spec") | $(gen_ms "$spec" off) | $(gen_ms "$spec" "$work/templates") |"
  done
} >"$work/report.md"
mv "$work/report.md" "$out"
echo "bench: wrote $out"
