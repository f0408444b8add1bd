#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# linux.check_entries.cmake_*: the check alloc8_add_interposer runs before linking, through a real
# build of a target that is not part of `all` (tests/CMakeLists.txt).
#   check_entries_cmake.sh refuses <cmake> <build dir> <target>
#       the build must fail with one line per wrong entry of tests/alloc/check_entries_bad.c and
#       the name of the opt-out (CHECK_ENTRIES RUNTIME)
#   check_entries_cmake.sh refuses_musl <cmake> <build dir> <target>
#       the same allocator built for musl (PLATFORM musl): only the strdup line, as musl's
#       __libc_* functions are its own, not the glue's
#   check_entries_cmake.sh builds <cmake> <build dir> <target>
#       the build must succeed (a correct allocator; the wrong one with CHECK_ENTRIES OFF)
set -u
mode=$1 cmake=$2 build=$3 target=$4
out=$("$cmake" --build "$build" --target "$target" 2>&1)
rc=$?
fail=0
libc_malloc='alloc8: entry.malloc (ce_malloc) calls __libc_malloc (ce_malloc -> ce_refill -> __libc_malloc, in check_entries_bad.c.o): the glue exports __libc_malloc, so the call comes back into the allocator'
strdup='alloc8: entry.free (ce_free) calls strdup (ce_free -> strdup, in check_entries_bad.c.o): strdup '
libc_memalign='alloc8: entry.aligned (ce_memalign) calls __libc_memalign (ce_memalign -> __libc_memalign, in check_entries_bad.c.o): the glue exports __libc_memalign'
opt_out='pass CHECK_ENTRIES RUNTIME to alloc8_add_interposer'
case $mode in
  refuses | refuses_musl)
    if [ "$rc" -eq 0 ]; then
      echo "FAIL: $target was built; the check must have refused it"
      fail=1
    fi
    expected=("$strdup" "$opt_out") absent=()
    if [ "$mode" = refuses ]; then
      expected+=("$libc_malloc" "$libc_memalign")
    else
      absent+=("calls __libc_malloc" "calls __libc_memalign")
    fi
    for line in "${expected[@]}"; do
      if ! grep -qF -- "$line" <<<"$out"; then
        echo "FAIL: the build output lacks: $line"
        fail=1
      fi
    done
    for line in "${absent[@]}"; do
      if grep -qF -- "$line" <<<"$out"; then
        echo "FAIL: the build output has: $line"
        fail=1
      fi
    done
    if grep -q "Traceback" <<<"$out"; then
      echo "FAIL: a Python traceback reached the build output"
      fail=1
    fi
    ;;
  builds)
    if [ "$rc" -ne 0 ]; then
      echo "FAIL: $target did not build (exit status $rc)"
      fail=1
    fi
    ;;
  *)
    echo "usage: $0 refuses|refuses_musl|builds <cmake> <build dir> <target>" >&2
    exit 2
    ;;
esac
if [ "$fail" -ne 0 ]; then
  printf '%s\n' "---- cmake --build $build --target $target (exit status $rc):" "$out"
  exit 1
fi
echo "PASS: $target $mode"
