# SPDX-License-Identifier: MIT
"""The kit's `programs` check (docs/checking.md): programs installed on the machine, each run with
the same input without the interposer and with it (LD_PRELOAD); their output and exit status must be
the same, and the dynamic linker's own record (LD_DEBUG=bindings) must show that the program's
malloc was bound to the library. A program that is not installed is left out and named; when none
is, the check is skipped. Interpose mode only: a prefixed library serves no program by itself.
"""

import glob
import os
import shutil
import subprocess

# A safety net per run: each workload takes about a second on a loaded 2-core machine.
TIMEOUT = 300

CONTRACT = "\"a program behaves the same under the interposer\" (docs/checking.md, programs)"

# Python: threads that build, serialise and parse dicts (the interpreter's small-object allocator
# runs on top of malloc), then one line of totals.
PYTHON = """
import json, threading
out = [0] * 4
def work(k, n):
    rows = [{"id": i, "name": "row%d" % i, "tags": [str(j) for j in range(i % 7)]} for i in range(n)]
    text = json.dumps(rows)
    out[k] = len(text) + sum(len(r["tags"]) for r in json.loads(text))
threads = [threading.Thread(target=work, args=(k, @N@)) for k in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(out)
"""

# Perl: a hash of N keys, grown strings, sorted, then a checksum.
PERL = r"""
my %h; my $s = "";
for my $i (1 .. @N@) { $h{"key$i"} = "v" x ($i % 50); $s .= chr(65 + $i % 26) if $i % 3 == 0; }
my $t = 0; for my $k (sort keys %h) { $t = ($t * 31 + length($h{$k}) + length($k)) % 1000000007; }
print "$t ", length($s), "\n";
"""


# git: a repository of 20 commits with fixed names and dates (so the hashes are the same in both
# runs), then its log with the files each commit changed.
GIT = """set -e
export HOME="$PWD" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=kit GIT_AUTHOR_EMAIL=kit@example.invalid \
  GIT_COMMITTER_NAME=kit GIT_COMMITTER_EMAIL=kit@example.invalid
@git@ -c init.defaultBranch=main init -q repo
i=1
while [ $i -le 20 ]; do
  seq $i $((i * 30)) > repo/f$((i % 4)).txt
  @git@ -C repo add -A
  export GIT_AUTHOR_DATE="2026-01-01T00:00:${i}Z" GIT_COMMITTER_DATE="2026-01-01T00:00:${i}Z"
  @git@ -C repo commit -q -m "commit $i"
  i=$((i + 1))
done
@git@ -C repo log --stat
"""


def _lines(n):
    """`sort`'s input: n lines of numbers and words, in no order."""
    return "".join(f"{(i * 7919) % 1000003} word{i % 977} {'abcdefghij'[: 1 + i % 10]}\n" for i in range(n))


def _c_source(n):
    """`gcc`'s input: n small functions and a main that chains them."""
    parts = [f"static unsigned f{i}(unsigned x) {{\n    x = x * {2 * i + 1}u + {i}u;\n"
             f"    return x ^ (x >> {1 + i % 13});\n}}\n" for i in range(n)]
    calls = "".join(f"    s = f{i}(s);\n" for i in range(n))
    return "".join(parts) + f"int main(void) {{\n    unsigned s = 1;\n{calls}    return (int)(s & 127);\n}}\n"


def _workloads(work, quick):
    """(name, command, stdin text, files to compare after the run) for each installed program."""
    n = 20_000 if quick else 200_000
    found, missing = [], []

    def want(name, tool, make):
        path = shutil.which(tool)
        if path is None:
            missing.append(name)
        else:
            found.append((name, *make(path)))

    python = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else "python3"  # not a pyenv shim
    want("sort", "sort", lambda p: ([p, "-n"], _lines(n), ()))
    want("python3", python, lambda p: ([p, "-c", PYTHON.replace("@N@", str(n // 20))], "", ()))
    want("perl", "perl", lambda p: ([p, "-e", PERL.replace("@N@", str(n))], "", ()))
    if not quick:
        source = os.path.join(work, "unit.c")
        with open(source, "w", encoding="utf-8") as f:
            f.write(_c_source(400))
        want("gcc", "gcc", lambda p: ([p, "-O2", "-c", source, "-o", "OUT.o"], "", ("OUT.o",)))
        want("git", "git", lambda p: (["sh", "-c", GIT.replace("@git@", p)], "", ()))
    return found, missing




def _run(command, stdin, cwd, env):
    try:
        done = subprocess.run(command, input=stdin.encode(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              cwd=cwd, env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, b""
    except OSError as e:
        return f"could not start: {e}", b""
    return done.returncode, done.stdout


def _status(code):
    if code is None:
        return f"no result after {TIMEOUT} s"
    if isinstance(code, str):
        return code
    return f"killed by signal {-code}" if code < 0 else f"exit status {code}"


def _first_difference(a, b):
    left, right = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    for i, (x, y) in enumerate(zip(left, right)):
        if x != y:
            return f"line {i + 1}: {y[:80]!r} instead of {x[:80]!r}"
    return f"{len(right)} lines instead of {len(left)}"


def _bound_to(debug_prefix, lib):
    """Whether ld.so's binding record (LD_DEBUG_OUTPUT files, one per process) binds malloc to lib."""
    for path in glob.glob(debug_prefix + ".*"):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if "normal symbol `malloc'" in line and " to " in line and lib in line.split(" to ", 1)[1]:
                    return True
    return False


def check(lib, work, quick=False):
    """(passed, first line, details); raises LookupError (the reason) when no program is installed."""
    found, missing = _workloads(work, quick)
    if not found:
        raise LookupError("none of sort, python3, perl, gcc, git is installed")
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    env["LC_ALL"] = "C"
    ran, failing = [], []
    for name, command, stdin, outputs in found:
        results = []
        for side in ("plain", "lib"):
            cwd = os.path.join(work, f"{name}.{side}")
            os.makedirs(cwd, exist_ok=True)
            side_env = dict(env)
            if side == "lib":
                side_env["LD_PRELOAD"] = lib
                side_env["LD_DEBUG"] = "bindings"
                side_env["LD_DEBUG_OUTPUT"] = os.path.join(work, f"{name}.ld")
            code, out = _run(command, stdin, cwd, side_env)
            files = []
            for output in outputs:
                try:
                    with open(os.path.join(cwd, output), "rb") as f:
                        files.append(f.read())
                except OSError:
                    files.append(None)
            results.append((code, out, files))
        (code0, out0, files0), (code1, out1, files1) = results
        if code0 != 0:  # the workload does not run here even without the library: left out, named
            failing.append(f"{name} ({_status(code0)} without the library)")
            continue
        if code1 != code0:
            return False, f"programs: {lib} broke {CONTRACT}: {name}: {_status(code1)} under it, {_status(code0)} " \
                          "without it", []
        if out1 != out0:
            return False, f"programs: {lib} broke {CONTRACT}: {name}: its output differs under it, first at " \
                          f"{_first_difference(out0, out1)}", []
        if files1 != files0:
            return False, f"programs: {lib} broke {CONTRACT}: {name}: the file it wrote differs under it", []
        if not _bound_to(os.path.join(work, f"{name}.ld"), lib):
            return False, f"programs: {name}: the dynamic linker did not bind its malloc to {lib} " \
                          "(LD_DEBUG=bindings): the library did not serve it (was it built in interpose mode?)", []
        ran.append(name)
    left_out = f"; not installed: {', '.join(missing)}" if missing else ""
    if failing:
        left_out += f"; left out, failing without the library: {', '.join(failing)}"
    if not ran:
        raise LookupError(f"no installed program could run its workload here{left_out}")
    return True, f"programs: {', '.join(ran)} gave the same output with and without the library, each served by " \
                 f"it (LD_DEBUG=bindings){left_out}", []
