#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SQLite under the musl interposer: a real program nobody here wrote, built for musl.
#   sqlite.sh fetch <work dir> <musl-gcc> <tests/musl dir> <tests/support dir> <demo allocator dir>
#     fetches better-sqlite3 12.11.1 from the npm registry (npm pack; the tarball's SHA-256 is
#     checked), takes the SQLite amalgamation it ships (deps/sqlite3/sqlite3.c) and builds it with
#     sqlite_driver.c for musl. Nothing fetched is kept outside <work dir> (the build tree).
#     Exit 77 (skipped) when the registry cannot be reached.
#   sqlite.sh run <work dir> <liballoc8demo_musl.so>
#     runs the driver alone (musl's own malloc) and under LD_PRELOAD of the interposer; the outputs
#     must be identical and the demo allocator's counters must show that it served SQLite.
set -euo pipefail
mode=$1 work=$2
tarball=better-sqlite3-12.11.1.tgz
sha256=ebf0ed75a7a59dbcb3b24bbd014ef49d9f15bc328e4adcbf516f2a8fadfa2835
fail() { echo "FAIL: $*"; exit 1; }
case "$mode" in
fetch)
  musl_gcc=$3 here=$4 support=$5 demo=$6
  mkdir -p "$work"
  cd "$work"
  if [ ! -f "$tarball" ] || ! echo "$sha256  $tarball" | sha256sum -c --status; then
    rm -f "$tarball"
    if ! command -v npm >/dev/null; then echo "SKIP: npm is not installed (Debian: apt-get install npm)"; exit 77; fi
    if ! npm pack better-sqlite3@12.11.1 --cache "$work/npm-cache" >npm.log 2>&1; then
      cat npm.log
      echo "SKIP: cannot fetch better-sqlite3 12.11.1 from the npm registry"
      exit 77
    fi
    echo "$sha256  $tarball" | sha256sum -c --status || fail "$tarball does not have the expected SHA-256"
  fi
  if [ ! -f sqlite3.o ] || [ sqlite3.o -ot "$tarball" ]; then # built once per build tree
    rm -rf package sqlite3.o
    tar xzf "$tarball" package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
    # -O1: the amalgamation is 9 MB of C; the driver and the interposer are what is under test
    "$musl_gcc" -O1 -w -DSQLITE_OMIT_LOAD_EXTENSION -c package/deps/sqlite3/sqlite3.c -o sqlite3.o.tmp
    mv sqlite3.o.tmp sqlite3.o
  fi
  "$musl_gcc" -std=c11 -O2 -Wall -Wextra -Werror -Ipackage/deps/sqlite3 -I"$support" -I"$demo" \
    -c "$here/sqlite_driver.c" -o sqlite_driver.o
  "$musl_gcc" -o sqlite_driver sqlite_driver.o sqlite3.o -lpthread -lm
  echo "built $work/sqlite_driver (SQLite $(sed -n 's/^#define SQLITE_VERSION  *"\(.*\)"/\1/p' package/deps/sqlite3/sqlite3.h))"
  ;;
run)
  lib=$3
  [ -x "$work/sqlite_driver" ] || { echo "SKIP: SQLite was not fetched and built (musl.sqlite.fetch)"; exit 77; }
  cd "$work"
  ./sqlite_driver >reference.out || { cat reference.out; fail "the driver failed with musl's own malloc"; }
  LD_PRELOAD=$lib ./sqlite_driver --alloc8 >interposed.out 2>interposed.err ||
    { cat interposed.out interposed.err; fail "the driver failed under the interposer"; }
  cmp -s reference.out interposed.out || { diff reference.out interposed.out | head -20; fail "outputs differ"; }
  grep -q "^done$" interposed.out || fail "the driver did not finish"
  grep "sqlite under the demo allocator" interposed.err || fail "no proof of service"
  echo "sqlite: $(wc -l <reference.out) lines of results, identical with and without the interposer"
  ;;
*) fail "usage: sqlite.sh fetch|run ..." ;;
esac
