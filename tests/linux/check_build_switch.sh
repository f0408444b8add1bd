#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# activation: build. The same spec built with the hooks on (the spec's default) and with
# alloc8_add_interposer(... THREAD_HOOKS OFF): only the first calls the hook functions. Both define
# the pthread_create and thrd_create wrappers, because the spec binds threads.created_flag, which
# must be set before a second thread runs with the hooks on or off (linux.threads.library_unlinked
# checks that at run time).
# Usage: check_build_switch.sh <lib built with hooks on> <lib built with THREAD_HOOKS OFF>
set -euo pipefail
on=$1 off=$2
defined() { readelf --dyn-syms -W "$1" | awk '$7 != "UND" {print $8}' | grep -cx "$2" || true; }
fail=0
for sym in pthread_create thrd_create; do
  [ "$(defined "$on" $sym)" = 1 ] || { echo "FAIL: $sym is not defined with the hooks on ($on)"; fail=1; }
  [ "$(defined "$off" $sym)" = 1 ] || { echo "FAIL: $sym is not defined with THREAD_HOOKS OFF ($off): created_flag needs it"; fail=1; }
done
# the hooks are referenced (called) only by the build with them on
calls() { objdump -d "$1" | grep -c "call.*<xxthread_init" || true; }
[ "$(calls "$on")" -ge 1 ] || { echo "FAIL: xxthread_init is never called with the hooks on"; fail=1; }
[ "$(calls "$off")" = 0 ] || { echo "FAIL: xxthread_init is called with THREAD_HOOKS OFF"; fail=1; }
[ "$fail" = 0 ] && echo "build switch: hook calls present with the hooks on, absent with THREAD_HOOKS OFF; the wrappers in both"
exit "$fail"
