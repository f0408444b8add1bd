#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kit.installed: the kit from an installed alloc8. Installs the suite's build tree to a prefix, then
#   1. builds tests/kit/consumer (find_package(alloc8), alloc8_add_interposer(... TESTS), which
#      calls alloc8_add_conformance_tests, for tiny_alloc.c, a C-only project) and runs its tests with
#      plain ctest: four pass, and cxx is reported skipped (no C++ compiler enabled), with why;
#   2. runs the installed alloc8-gen --check-library, which compiles the installed kit with cc
#      (and kit/cxx.cpp with $CXX, or c++).
# Both must use the installed generator and kit sources, not this source tree's.
# Usage: installed.sh <cmake> <alloc8 build dir, built> <work dir> <tests/kit dir>
set -euo pipefail
cmake=$1 built=$2 work=$3 kit=$4
ctest=$(dirname "$cmake")/ctest
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work/project"
prefix=$work/prefix
"$cmake" --install "$built" --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "alloc8 install failed"; }
[ -f "$prefix/share/alloc8/kit/kit.h" ] && [ -f "$prefix/share/alloc8/kit/stress.c" ] || fail "the kit's sources were not installed"
ls "$prefix"/lib*/cmake/alloc8/alloc8_conformance.cmake >/dev/null 2>&1 || fail "alloc8_conformance.cmake was not installed"
[ -f "$prefix/share/alloc8/gen/alloc8gen/checklib.py" ] || fail "the driver (checklib.py) was not installed"

# 1. CMake: one line per allocator
cp "$kit/consumer/CMakeLists.txt" "$kit/tiny.yaml" "$kit/tiny_alloc.c" "$work/project/"
b=$work/build
"$cmake" -S "$work/project" -B "$b" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure with find_package(alloc8) failed"; }
"$cmake" --build "$b" -j 2 >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build failed"; }
grep -rqF "$prefix/share/alloc8/kit/api.c" "$b" || fail "the kit's programs were not built from the installed sources"
(cd "$b" && "$ctest" -N -V) >"$work/tests.txt" 2>&1
grep -qF "PYTHONPATH=$prefix/share/alloc8/gen" "$work/tests.txt" || { cat "$work/tests.txt"; fail "the tests do not run the installed generator"; }
for check in api stress threads fork cxx programs; do
  grep -q "Test *#[0-9]*: alloc8[.]myalloc[.]$check\$" "$work/tests.txt" || { cat "$work/tests.txt"; fail "alloc8.myalloc.$check was not registered"; }
done
(cd "$b" && "$ctest" -L alloc8.myalloc --output-on-failure) >"$work/ctest.log" 2>&1 || { cat "$work/ctest.log"; fail "ctest failed"; }
grep -q "100% tests passed, 0 tests failed out of 6" "$work/ctest.log" || { cat "$work/ctest.log"; fail "not the six tests"; }
grep -q "alloc8[.]myalloc[.]cxx (Skipped)" "$work/ctest.log" || { cat "$work/ctest.log"; fail "alloc8.myalloc.cxx was not skipped"; }
(cd "$b" && "$ctest" -R 'alloc8[.]myalloc[.]cxx' -V) >"$work/cxx.log" 2>&1 || true
grep -q "SKIP cxx: .* has no alloc8_kit_cxx: the project that built the kit has no C++ compiler enabled" "$work/cxx.log" ||
  { cat "$work/cxx.log"; fail "the skipped cxx check does not say why"; }
echo "find_package: alloc8_add_interposer(myalloc ... TESTS) registered alloc8.myalloc.{api,stress,threads,fork,cxx,programs}; ctest passed five and skipped cxx (a C-only project), saying why"

# 2. the installed command line, compiling the installed kit itself
"$prefix/bin/alloc8-gen" "$work/project/tiny.yaml" --check-library "$b/libmyalloc.so" --checks api,fork,cxx \
  >"$work/cli.log" 2>&1 || { cat "$work/cli.log"; fail "the installed alloc8-gen --check-library failed"; }
cat "$work/cli.log"
grep -qF "kit compiled from $prefix/share/alloc8/kit" "$work/cli.log" || fail "the installed driver did not compile the installed kit"
[ "$(grep -c '^PASS ' "$work/cli.log")" = 3 ] || fail "expected three PASS lines"
echo "installed alloc8-gen --check-library: compiled the installed kit, three checks passed (api, fork, cxx)"
