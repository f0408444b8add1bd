#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The fork test of a binding whose allocator is not fork-safe: an expected, explained result
# instead of a run that hangs in one child of tens (tests/README.md: never a timeout, never a skip).
# It passes while the allocator's library registers no fork handlers (the fact the reason rests
# on), and fails once it does: then bind its lock functions (entry.lock/unlock) and run the real
# fork test.
# Usage: not_fork_safe.sh <interposer> <allocator library name regex> <reason>
set -uo pipefail
lib=$1 pattern=$2 reason=$3
alloc=$(ldd "$lib" | awk -v p="$pattern" '$1 ~ p {print $3; exit}')
if [ -z "$alloc" ] || [ ! -f "$alloc" ]; then
  echo "FAIL: $lib does not load a library matching $pattern"
  exit 1
fi
symbols=$(nm -D "$alloc") || { echo "FAIL: nm -D $alloc"; exit 1; }
if grep -Eq ' (pthread_atfork|__register_atfork)(@.*)?$' <<<"$symbols"; then
  echo "FAIL: $alloc now uses pthread_atfork: it may be fork-safe; bind its locks and run the fork test"
  exit 1
fi
echo "PASS (expected result): $alloc registers no fork handlers: $reason"
