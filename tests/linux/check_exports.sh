#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The interposer must export exactly the malloc family, glibc's extras and aliases, the 20 C++
# operators, (x86-64) dlopen, for RTLD_DEEPBIND (templates/linux/dlopen.c.j2), and the extra names
# given (the thread wrappers, alloc8_thread_hook_counts, alloc8_thread_created_flag), all WITHOUT a symbol version (so
# versioned references such as aligned_alloc@GLIBC_2.16 bind to them), and nothing of the glue's
# internals. It must not need
# any __pthread_* symbol (glibc 2.34 and later export none; a library that does fails to load).
# Usage: check_exports.sh <lib.so> [extra allowed symbol...]
set -euo pipefail
lib=$1; shift
expected="malloc free calloc realloc memalign posix_memalign aligned_alloc valloc pvalloc
malloc_usable_size free_sized free_aligned_sized cfree mallopt mallinfo mallinfo2 malloc_trim
malloc_stats malloc_info __libc_malloc __libc_free __libc_calloc __libc_realloc __libc_memalign
__libc_valloc __libc_pvalloc __libc_mallinfo __libc_mallopt
_Znwm _Znam _ZnwmRKSt9nothrow_t _ZnamRKSt9nothrow_t _ZnwmSt11align_val_t _ZnamSt11align_val_t
_ZnwmSt11align_val_tRKSt9nothrow_t _ZnamSt11align_val_tRKSt9nothrow_t
_ZdlPv _ZdaPv _ZdlPvRKSt9nothrow_t _ZdaPvRKSt9nothrow_t _ZdlPvm _ZdaPvm
_ZdlPvSt11align_val_t _ZdaPvSt11align_val_t _ZdlPvSt11align_val_tRKSt9nothrow_t
_ZdaPvSt11align_val_tRKSt9nothrow_t _ZdlPvmSt11align_val_t _ZdaPvmSt11align_val_t $*"
if [ "$(uname -m)" = x86_64 ]; then expected="$expected dlopen"; fi
fail=0
# Defined dynamic symbols, as "name" (readelf prints name@VERSION for versioned ones).
defined=$(readelf --dyn-syms -W "$lib" | awk '$7 != "UND" && ($5 == "GLOBAL" || $5 == "WEAK") && $8 != "" {print $8}' | sort -u)
for sym in $expected; do
  if ! grep -qx "$sym" <<<"$defined"; then
    if grep -q "^$sym@" <<<"$defined"; then echo "FAIL: $sym is exported WITH a version: $(grep "^$sym@" <<<"$defined")"
    else echo "FAIL: $sym is not exported"; fi
    fail=1
  fi
done
while read -r sym; do
  [ -z "$sym" ] && continue
  if ! grep -qwx -- "$sym" <<<"$(tr ' ' '\n' <<<"$expected")"; then
    echo "FAIL: unexpected export $sym (internal state must stay hidden)"; fail=1
  fi
done <<<"$defined"
undefined=$(readelf --dyn-syms -W "$lib" | awk '$7 == "UND" && $8 != "" {print $8}')
if grep -q "^__pthread" <<<"$undefined"; then
  echo "FAIL: $lib needs symbols glibc 2.34+ no longer exports: $(grep "^__pthread" <<<"$undefined" | tr '\n' ' ')"
  fail=1
fi
versions=$(readelf -V -W "$lib")
if grep -q "Version definition section" <<<"$versions"; then
  echo "FAIL: $lib defines symbol versions"; fail=1
fi
[ "$fail" = 0 ] && echo "exports: $(wc -l <<<"$defined") symbols, all expected, none versioned"
exit "$fail"
