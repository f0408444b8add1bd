# SPDX-License-Identifier: MIT
# Sourced by the compile checks (tests/linux/compile_matrix.sh, tests/platform/macos/compile.sh):
# independent compiles are queued, then run $(nproc) at a time. A failed compile leaves its
# command and diagnostics in $work/fail/<index>; they are printed once the pool has drained, so
# that the outputs of parallel jobs do not interleave. Needs $work, a scratch directory.
count=0 # compiles queued so far; the next one's index
mkdir -p "$work/fail"

# queue <command...>: one compile for the pool, as its index and a line of shell words
queue() {
  printf '%s\0%s\0' "$count" "$(printf '%q ' "$@")" >>"$work/jobs"
  count=$((count + 1))
}

# run_queue <label>: run every queued compile; on any failure print the first ten and exit 1
run_queue() {
  local status=0 failed shown=10 f
  export work
  # shellcheck disable=SC2016 # expanded by the job's shell
  xargs -0 -n 2 -P "$(nproc)" bash -c '
    if ! log=$(eval "$2" 2>&1); then
      printf "FAIL: %s\n%s\n" "$2" "$log" >"$work/fail/$1"
      exit 1
    fi' job <"$work/jobs" || status=$?
  failed=$(find "$work/fail" -type f | wc -l)
  if [ "$status" != 0 ] || [ "$failed" -gt 0 ]; then
    for f in $(find "$work/fail" -type f -printf '%f\n' | sort -n | head -n $shown); do cat "$work/fail/$f"; done
    [ "$failed" -le $shown ] || echo "... and $((failed - shown)) more failed compilations"
    echo "$1: $failed of $count compilations failed (xargs exit status $status)"
    exit 1
  fi
}
