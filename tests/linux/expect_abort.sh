#!/usr/bin/env bash
# A throwing operator new that fails with no new_handler installed must abort with a message
# naming alloc8 and operator new (C glue cannot throw std::bad_alloc).
# Usage: expect_abort.sh <lib.so> <cxx_abort binary>
set -uo pipefail
lib=$1 bin=$2
err=$(mktemp)
trap 'rm -f "$err"' EXIT
LD_PRELOAD="$lib" "$bin" 2>"$err"
status=$?
if [ "$status" != 134 ]; then
  echo "FAIL: expected SIGABRT (status 134), got status $status"; cat "$err"; exit 1
fi
if ! grep -q "alloc8" "$err" || ! grep -q "operator new" "$err"; then
  echo "FAIL: the abort message does not name alloc8 and operator new:"; cat "$err"; exit 1
fi
echo "cxx_abort: aborted with: $(head -c 120 "$err")..."
