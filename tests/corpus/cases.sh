# SPDX-License-Identifier: MIT
# The corpus cases, sourced by corpus.sh. Each case has
#   input_<case> <dir>          make its inputs in <dir> (once, before the reference run)
#   run_<case> <dir> <work>     run it, printing what must be identical with and without the
#                               interposer; every program under test is started through `target`
# and may set
#   stderr_closed_<case>=1      its programs close stderr before exiting, so reports that allocators
#                               print at exit are lost (only file-based counters can be read)
# and, when a program may be missing (scripts/deps.sh installs them all),
#   available_<case>            true when the case can run here; otherwise it is skipped (exit 77)
# All inputs are generated deterministically; outputs that are large are compared by digest.

corpus_programs=$(cd "$(dirname "${BASH_SOURCE[0]}")/programs" && pwd)
python=/usr/bin/python3

# python3: threads, json and large dicts
input_python() { :; }
available_python() { [ -x "$python" ]; }
run_python() { target "$python" "$corpus_programs/dicts.py"; }

# Python's own regression tests (Debian libpython3.X-testsuite), compared by exit status; -w
# re-runs a failed test once, so a timing-sensitive test on a loaded machine does not decide it
# (skipped, exit 77, when the test package is not installed)
# SubinterpThreadingTests is left out: in CPython 3.11 a subinterpreter's thread, as it exits,
# reads the interpreter's state in drop_gil() after releasing the GIL, when the main thread may
# already have freed it. glibc keeps the memory mapped and the read goes unnoticed; the demo
# allocator returns large blocks to the OS at once, and the thread segfaults (~3% of runs).
regrtests=(test_threading test_json test_dict)
regrtest_ignore=(-i SubinterpThreadingTests)
input_python_regrtest() { :; }
available_python_regrtest() { "$python" -c 'import test.test_threading, test.test_json, test.test_dict' 2>/dev/null; }
run_python_regrtest() {
  local status=0
  (cd "$2" && target "$python" -m test -w "${regrtest_ignore[@]}" "${regrtests[@]}") >"$2/regrtest.log" || status=$?
  [ $status = 0 ] || tail -30 "$2/regrtest.log" >&2
  grep -q "Tests result: .*SUCCESS" "$2/regrtest.log" && echo "python -m test ${regrtests[*]}: SUCCESS"
  return $status
}

# git: a generated repository of 2,000 commits (fast-import), log --stat, gc, fsck
input_git() {
  awk 'BEGIN {
    for (i = 1; i <= 2000; i++) {
      printf "commit refs/heads/main\nmark :%d\n", i
      printf "author alloc8 <a@example.invalid> %d +0000\n", 1700000000 + i * 60
      printf "committer alloc8 <a@example.invalid> %d +0000\n", 1700000000 + i * 60
      msg = "commit " i
      printf "data %d\n%s\n", length(msg), msg
      if (i > 1) printf "from :%d\n", i - 1
      for (f = 0; f < 3; f++) {
        content = ""
        for (j = 0; j <= (i * (f + 1)) % 23; j++) content = content "line " (i + j) " of file " ((i + f) % 60) "\n"
        printf "M 644 inline dir%d/file%d.txt\ndata %d\n%s\n", (i + f) % 7, (i + f) % 60, length(content), content
      }
    }
  }' >"$1/stream.fi"
}
available_git() { command -v git >/dev/null; }
run_git() {
  local repo=$2/repo
  export GIT_CONFIG_NOSYSTEM=1 HOME=$2 GIT_AUTHOR_NAME=alloc8 GIT_COMMITTER_NAME=alloc8
  target git -c init.defaultBranch=main init -q "$repo"
  target git -C "$repo" fast-import --quiet <"$1/stream.fi"
  target git -C "$repo" log --stat | sha256sum
  target git -C "$repo" log --format=%H | sha256sum
  target git -C "$repo" gc -q
  target git -C "$repo" fsck --strict --no-progress
  target git -C "$repo" rev-list --count HEAD
  target git -C "$repo" count-objects -v | grep -E '^(count|packs):'
}

# gcc -O2 on a generated 5,000-line C file: identical object files
available_gcc() { command -v gcc >/dev/null; }
input_gcc() {
  awk 'BEGIN {
    for (i = 0; i < 990; i++)
      printf "unsigned f%d(unsigned x) {\n  x = x * %du + %du;\n  return x ^ (x >> %d);\n}\n", i, 2 * i + 1, i, 1 + i % 13
    print "#include <stdio.h>"; print "int main(void) {"; print "  unsigned s = 1;"
    for (i = 0; i < 990; i++) printf "  s = f%d(s);\n", i
    print "  printf(\"%u\\n\", s);"; print "  return 0;"; print "}"
  }' >"$1/gen.c"
}
run_gcc() {
  wc -l <"$1/gen.c"
  target gcc -O2 -c "$1/gen.c" -o "$2/gen.o"
  sha256sum <"$2/gen.o"
}

# sqlite3: 200,000 rows, an index, aggregate queries
available_sqlite() { command -v sqlite3 >/dev/null; }
input_sqlite() {
  cat >"$1/queries.sql" <<'SQL'
CREATE TABLE t(id INTEGER PRIMARY KEY, grp INTEGER, name TEXT, val REAL);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000)
INSERT INTO t SELECT x, x % 97, 'name' || (x * 7919 % 100003), (x * 31 % 1000) / 10.0 FROM c;
CREATE INDEX t_grp ON t(grp);
SELECT grp, count(*), round(sum(val), 1), min(name), max(name) FROM t GROUP BY grp ORDER BY grp;
SELECT count(DISTINCT name) FROM t;
SELECT name, count(*) AS n FROM t GROUP BY name ORDER BY n DESC, name LIMIT 10;
SELECT grp, group_concat(id, ',') FROM (SELECT grp, id FROM t WHERE id % 1000 = 0 ORDER BY id) GROUP BY grp ORDER BY grp LIMIT 5;
SQL
}
run_sqlite() { target sqlite3 "$2/db.sqlite" <"$1/queries.sql"; }

# perl: hash-heavy
input_perl() { :; }
available_perl() { command -v perl >/dev/null; }
run_perl() { target perl "$corpus_programs/hashes.pl"; }

# sort of a 50 MB file (coreutils closes stderr at exit)
stderr_closed_sort=1
input_sort() {
  awk 'BEGIN { for (i = 0; i < 1650000; i++) printf "%07d word%d %s\n", (i * 7919) % 1000003, i % 977, substr("abcdefghijklmnopqrstuvwxyz", 1 + i % 26) }' >"$1/input.txt"
}
run_sort() {
  target env LC_ALL=C sort "$1/input.txt" | sha256sum
  target env LC_ALL=C sort -k2,2 -k1,1n "$1/input.txt" | sha256sum
}

# xz -T2: compress (several blocks, so both threads work) and decompress (xz closes stderr at exit)
stderr_closed_xz=1
available_xz() { command -v xz >/dev/null; }
input_xz() {
  awk 'BEGIN { for (i = 0; i < 180000; i++) printf "record %d value %d %s\n", i, (i * 2654435761) % 4294967296, substr("lorem ipsum dolor sit amet consectetur", 1 + i % 20, 12) }' >"$1/input.txt"
}
run_xz() {
  target xz -T2 --block-size=1MiB -c "$1/input.txt" >"$2/input.txt.xz"
  sha256sum <"$2/input.txt.xz"
  target xz -T2 -dc "$2/input.txt.xz" | sha256sum
}

# node: objects, maps, strings, JSON and Buffers
input_node() { :; }
available_node() { command -v node >/dev/null; }
run_node() { target node "$corpus_programs/objects.js"; }

# C++: std::thread, new/delete, aligned new (tests/programs/cxx_workload.cpp)
input_cxx() { :; }
run_cxx() { target "$cxx_workload"; }
