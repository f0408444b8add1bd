#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run a real program with and without the interposer: outputs and exit status must be identical,
# and the demo allocator's counters (ALLOC8_DEMO_STATS, one line per process) must show that it
# served the program.
# Usage: realprog.sh <python|sort|git|gcc|cxx> <liballoc8demo.so> [cxx_workload binary]
set -euo pipefail
case=$1 lib=$2 extra=${3:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stats=$work/stats.txt
fail() { echo "FAIL: $case: $*"; exit 1; }

under() { LD_PRELOAD=$lib ALLOC8_DEMO_STATS=$stats "$@"; }
# compare <label> <command...>: stdout and status with and without the interposer
compare() {
  local label=$1; shift
  local plain_status=0 alloc8_status=0
  "$@" >"$work/plain.out" 2>/dev/null || plain_status=$?
  under "$@" >"$work/alloc8.out" 2>/dev/null || alloc8_status=$?
  [ "$plain_status" = "$alloc8_status" ] || fail "$label: exit status $plain_status without, $alloc8_status with the interposer"
  if ! cmp -s "$work/plain.out" "$work/alloc8.out"; then
    diff "$work/plain.out" "$work/alloc8.out" | head -10
    fail "$label: output differs under the interposer"
  fi
}

# skipped (exit 77) when the program is not installed (scripts/deps.sh installs them all)
declare -A needs=([python]=/usr/bin/python3 [sort]=sort [git]=git [gcc]=gcc [cxx]=bash)
if [ -n "${needs[$case]:-}" ] && ! command -v "${needs[$case]}" >/dev/null; then
  echo "SKIP: $case: ${needs[$case]} is not installed (scripts/deps.sh installs it)"
  exit 77
fi

case $case in
  python)
    threshold=1000
    compare python /usr/bin/python3 "$here/../programs/py_workload.py" ;;
  sort)
    threshold=10
    awk 'BEGIN { for (i = 0; i < 400000; i++) printf "%d word%d %s\n", (i * 7919) % 1000003, i % 977, substr("abcdefghij", 1 + i % 10) }' >"$work/input.txt"
    compare "sort" env LC_ALL=C sort "$work/input.txt"
    compare "sort -n" env LC_ALL=C sort -n "$work/input.txt" ;;
  git)
    threshold=100
    make_repo() { # <dir>: 40 commits of generated files, then the log
      local dir=$1
      export HOME=$work GIT_AUTHOR_NAME=alloc8 GIT_AUTHOR_EMAIL=a@example.invalid GIT_COMMITTER_NAME=alloc8 \
             GIT_COMMITTER_EMAIL=a@example.invalid GIT_CONFIG_NOSYSTEM=1
      git -c init.defaultBranch=main init -q "$dir"
      for i in $(seq 1 40); do
        for f in a b c; do seq "$i" $((i * 20)) | sed "s/^/$f /" >"$dir/$f$((i % 5)).txt"; done
        git -C "$dir" add -A
        GIT_AUTHOR_DATE="2026-01-01T00:00:$((i % 60))Z" GIT_COMMITTER_DATE="2026-01-01T00:00:$((i % 60))Z" \
          git -C "$dir" commit -q -m "commit $i"
      done
      git -C "$dir" log --stat
      git -C "$dir" log --format=%H
    }
    make_repo "$work/plain" >"$work/plain.out"
    under bash -c "$(declare -f make_repo); work='$work'; make_repo '$work/alloc8'" >"$work/alloc8.out"
    if ! cmp -s "$work/plain.out" "$work/alloc8.out"; then
      diff "$work/plain.out" "$work/alloc8.out" | head -10
      fail "git log (and commit hashes) differ under the interposer"
    fi ;;
  gcc)
    threshold=1000
    awk 'BEGIN { for (i = 0; i < 660; i++) { printf "static unsigned f%d(unsigned x) {\n  x = x * %d + %d;\n  return x ^ (x >> %d);\n}\n", i, 2 * i + 1, i, 1 + i % 13 }
                 print "#include <stdio.h>"; print "int main(void) {"; print "  unsigned s = 1;";
                 for (i = 0; i < 660; i++) printf "  s = f%d(s);\n", i; print "  printf(\"%u\\n\", s);"; print "  return 0;"; print "}" }' >"$work/gen.c"
    gcc -O2 -c "$work/gen.c" -o "$work/plain.o"
    under gcc -O2 -c "$work/gen.c" -o "$work/alloc8.o"
    cmp -s "$work/plain.o" "$work/alloc8.o" || fail "gcc produced a different object file under the interposer"
    gcc "$work/plain.o" -o "$work/prog"
    compare "compiled program" "$work/prog" ;;
  cxx)
    threshold=10000
    [ -x "$extra" ] || fail "give the cxx_workload binary as the third argument"
    compare cxx_workload "$extra" ;;
  *)
    fail "unknown case (python, sort, git, gcc, cxx)" ;;
esac

[ -s "$stats" ] || fail "no statistics line: the interposer did not run"
read -r processes mallocs frees < <(awk '{ n++; for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "malloc") m += kv[2]; if (kv[1] == "free") f += kv[2] } } END { print n, m + 0, f + 0 }' "$stats")
[ "$mallocs" -gt "$threshold" ] || fail "only $mallocs allocations served (expected more than $threshold)"
# Thread hooks: every thread was initialised before the allocator served it (no cache made without
# xxthread_init), and in every process that exited normally each initialised thread was cleaned up
# (the exiting one by the glue's exit handler). Python's Thread.join() returns before the OS thread
# has finished exiting, so there a thread may still be on its way out when the process exits.
exact=1
[ "$case" != python ] || exact=0
bad=$(awk -v exact=$exact '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
             if (v["unhooked"] != 0 || v["inits"] < 1 || v["cleanups"] < 1 || v["cleanups"] > v["inits"] ||
                 (exact && v["inits"] != v["cleanups"])) print }' "$stats")
[ -z "$bad" ] || fail "thread hooks: a process allocated before init, or inits != cleanups: $bad"
read -r inits < <(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "inits") n += kv[2] } } END { print n + 0 }' "$stats")
[ "$case" != python ] || [ "$inits" -ge 9 ] || fail "python ran 8 threads and its main thread, but only $inits inits"
echo "$case: same output with and without the interposer; $processes process(es), malloc=$mallocs free=$frees served by the demo allocator; $inits thread inits"
