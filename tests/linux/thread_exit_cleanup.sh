#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The thread that calls exit() gets its cleanup too (key destructors do not run for it): after a run
# whose other threads all ended, the demo allocator's exit report (written after the glue's exit
# handler) must show inits == cleanups, for a main thread that returns from main and for one that
# calls pthread_exit (then the last thread's exit ends the process).
# Usage: thread_exit_cleanup.sh <liballoc8demo.so> <thread_hooks binary>
# (an empty library for a -static thread_hooks linked with the archive: nothing is preloaded)
set -euo pipefail
lib=$1 bin=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for case in paths main_pthread_exit; do
  rm -f "$work/stats"
  LD_PRELOAD=$lib ALLOC8_DEMO_STATS=$work/stats "$bin" --alloc8 $case >"$work/out" || { cat "$work/out"; fail "thread_hooks $case failed"; }
  grep -q "checks passed" "$work/out" || { cat "$work/out"; fail "thread_hooks $case did not pass"; }
  line=$(cat "$work/stats")
  inits=$(sed -n 's/.* inits=\([0-9]*\).*/\1/p' <<<"$line")
  cleanups=$(sed -n 's/.* cleanups=\([0-9]*\).*/\1/p' <<<"$line")
  [ -n "$inits" ] && [ "$inits" -ge 2 ] || fail "$case: expected the main thread and others to be initialised: $line"
  [ "$inits" = "$cleanups" ] || fail "$case: at exit inits=$inits but cleanups=$cleanups (the exiting thread was not cleaned up?)"
  echo "$case: at exit $inits inits, $cleanups cleanups (main thread included)"
done
