#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build a separate consumer project against alloc8 both ways a user can: add_subdirectory of the
# source tree, and find_package(alloc8 CONFIG) after `cmake --install`. Each time the consumer's
# interposer must serve its check program and its heap (alloc8_add_heap on alloc8::runtime) must
# work, and editing the spec (or an installed template) must make the next build regenerate the
# glue, while a build with no change must not.
# Usage: run_consumer.sh <alloc8 source dir> <work dir> <cmake> <python> [alloc8 build dir]
#   alloc8 build dir: an alloc8 build tree, already built, to install for find_package (the test
#   suite passes its own; without it alloc8 is configured and built here first)
set -euo pipefail
repo=$1 work=$2 cmake=$3 python=$4 built=${5:-}
src=$repo/tests/cmake/consumer
rm -rf "$work"
mkdir -p "$work"
cp -r "$src" "$work/consumer" # a private copy: the test touches its spec
fail() { echo "FAIL: $*"; exit 1; }

build_and_check() { # <build dir> <label>
  "$cmake" --build "$1" -j 2 >"$1.log" 2>&1 || { cat "$1.log"; fail "$2: build failed"; }
  grep -q "alloc8: generating the linux glue for tinyalloc" "$1.log" || fail "$2: the glue was not generated"
  LD_PRELOAD="$1/libtinyalloc.so" "$1/consumer_check" || fail "$2: the interposer did not serve the program"
  "$1/consumer_heap_check" || fail "$2: the generated heap on the runtime did not work"
}
expect_regeneration() { # <build dir> <label> <yes|no>
  "$cmake" --build "$1" -j 2 >"$1.log" 2>&1 || { cat "$1.log"; fail "$2: rebuild failed"; }
  if grep -q "alloc8: generating" "$1.log"; then got=yes; else got=no; fi
  [ "$got" = "$3" ] || fail "$2: expected regeneration=$3, got $got"
}

# 1. add_subdirectory
b1=$work/build-subdir
"$cmake" -S "$work/consumer" -B "$b1" -DALLOC8_SOURCE_DIR="$repo" >"$b1.configure.log" 2>&1 \
  || { cat "$b1.configure.log"; fail "add_subdirectory: configure failed"; }
build_and_check "$b1" add_subdirectory
expect_regeneration "$b1" "add_subdirectory, nothing changed" no
touch "$work/consumer/tiny.yaml"
expect_regeneration "$b1" "add_subdirectory, spec touched" yes
echo "add_subdirectory: generated, built, served the program, regenerated only when the spec changed"

# 2. install, then find_package
prefix=$work/prefix
b0=$built
if [ -z "$b0" ]; then
  b0=$work/build-alloc8
  "$cmake" -S "$repo" -B "$b0" -DALLOC8_BUILD_TESTS=OFF -DALLOC8_BUILD_DEMO=OFF -DALLOC8_BUILD_BINDINGS=OFF \
    -DALLOC8_PYTHON="$python" >"$work/build-alloc8.log" 2>&1 || { cat "$work/build-alloc8.log"; fail "alloc8 configure failed"; }
  "$cmake" --build "$b0" -j 2 >>"$work/build-alloc8.log" 2>&1 || { cat "$work/build-alloc8.log"; fail "alloc8 build failed"; }
fi
"$cmake" --install "$b0" --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "alloc8 install failed"; }
[ -f "$prefix/include/alloc8/current.h" ] && ls "$prefix"/lib*/liballoc8rt.a >/dev/null 2>&1   || fail "the runtime's headers and library were not installed"
version=$("$prefix/bin/alloc8-gen" --version) || fail "installed alloc8-gen does not run"
[[ "$version" == alloc8-gen* ]] || fail "installed alloc8-gen printed '$version'"
b2=$work/build-package
"$cmake" -S "$work/consumer" -B "$b2" -DUSE_FIND_PACKAGE=ON -DCMAKE_PREFIX_PATH="$prefix" >"$b2.configure.log" 2>&1 \
  || { cat "$b2.configure.log"; fail "find_package: configure failed"; }
grep -q "consumer: alloc8 generator from $prefix/" "$b2.configure.log" || fail "find_package did not use the installed generator"
build_and_check "$b2" find_package
expect_regeneration "$b2" "find_package, nothing changed" no
touch "$prefix/share/alloc8/templates/linux/malloc.c.j2"
expect_regeneration "$b2" "find_package, template touched" yes
echo "find_package: generated with the installed generator, built, served the program, regenerated when a template changed"
