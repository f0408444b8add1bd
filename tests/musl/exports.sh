#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo allocator's musl interposer exports exactly the malloc family musl lets a program
# replace (the eight names of musl's dynamic list), the thread and fork wrappers, the C++
# operators, the demo allocator's own API and the thread hooks' counts for the conformance kit
# (alloc8_thread_hook_counts, alloc8_thread_created_flag); none of glibc's extras or aliases, which do not
# exist on musl. Usage: exports.sh <liballoc8demo_musl.so>
set -euo pipefail
lib=$1
fail() { echo "FAIL: $*"; exit 1; }
mapfile -t defined < <(nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | sort -u)
have() { printf '%s\n' "${defined[@]}" | grep -qx "$1"; }
for name in malloc free calloc realloc aligned_alloc posix_memalign memalign malloc_usable_size \
            pthread_create thrd_create pthread_atfork _Znwm _ZdlPv _ZnamSt11align_val_t \
            alloc8_demo_stats_get alloc8_demo_thread_get alloc8_thread_hook_counts alloc8_thread_created_flag; do
  have "$name" || fail "$lib does not export $name"
done
for name in valloc pvalloc cfree mallopt mallinfo mallinfo2 malloc_trim malloc_stats malloc_info \
            free_sized free_aligned_sized __libc_malloc __libc_free __libc_calloc __libc_realloc \
            __libc_memalign __libc_valloc __libc_pvalloc __register_atfork dlopen; do
  have "$name" && fail "$lib exports $name, which musl does not have (or does not let a program replace)"
done
# everything else it exports is one of the above or a C++ operator (mangled _Zn*/_Zd*)
for name in "${defined[@]}"; do
  case "$name" in
    malloc|free|calloc|realloc|aligned_alloc|posix_memalign|memalign|malloc_usable_size) ;;
    pthread_create|thrd_create|pthread_atfork|alloc8_demo_stats_get|alloc8_demo_thread_get) ;;
    alloc8_thread_hook_counts|alloc8_thread_created_flag) ;;
    _Zn*|_Zd*) ;;
    _init|_fini|__bss_start|_edata|_end) ;;
    *) fail "$lib exports $name, which is not in the expected set" ;;
  esac
done
echo "exports: ${#defined[@]} names, the musl malloc family and nothing glibc-only"
