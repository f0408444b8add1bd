#!/usr/bin/env bash
# Runs a program under an interposer and checks what the checked build made of it:
#   expect.sh clean <regex>|- <lib> <program> [args...]
#     the program exits 0, nothing printed a line of the checked build ("alloc8 check ("), and its
#     standard output matches <regex> (grep -E; - for any);
#   expect.sh abort <regex> <lib> <program> [args...]
#     the program is stopped by SIGABRT after exactly one line "alloc8 check (...): ..." on stderr,
#     which matches <regex> (grep -E); WILL_FAIL alone would also pass a crash or a hang.
# Prints the program's output, then PASS or FAIL with the reason.
set -uo pipefail
mode=$1; shift
regex=$1 lib=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
LD_PRELOAD=$lib "$@" >"$work/out" 2>"$work/err"
status=$?
cat "$work/out" "$work/err"
lines=$(grep -c '^alloc8 check (' "$work/err")
fail() { echo "FAIL: $*"; exit 1; }
# the interposer must have been loaded (ld.so says so on stderr and goes on without it)
! grep -q 'cannot be preloaded' "$work/err" || fail "$lib was not loaded"
case $mode in
  clean)
    [ "$lines" = 0 ] || fail "the checked build reported $lines violation(s)"
    [ "$status" = 0 ] || fail "exit status $status"
    [ "$regex" = - ] || grep -Eq -- "$regex" "$work/out" || fail "the output does not match: $regex"
    echo "PASS: exit status 0, no violation reported" ;;
  abort)
    [ "$status" = 134 ] || fail "exit status $status, not 134 (SIGABRT)"
    [ "$lines" = 1 ] || fail "$lines lines from the checked build, not 1"
    grep '^alloc8 check (' "$work/err" | grep -Eq -- "$regex" || fail "the line does not match: $regex"
    echo "PASS: stopped by SIGABRT with the expected line" ;;
  *) fail "usage: expect.sh clean|abort ..." ;;
esac
