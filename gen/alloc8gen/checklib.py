# SPDX-License-Identifier: MIT
"""alloc8-gen SPEC --check-library LIB: run the kit (kit/, docs/checking.md) against a built library.

Each kit program is compiled with `cc` (or $CC; kit/cxx.cpp with `c++` or $CXX, and the cxx check is
skipped, with the reason, when there is none) into a temporary directory, unless
--kit-programs names a directory that holds them already built (alloc8_add_conformance_tests
builds them with the project's compiler), and run with LD_PRELOAD=LIB (interpose mode) or with
LIB loaded by dlopen (prefixed mode). A static archive (LIB.a, alloc8_add_interposer ... STATIC) is
linked whole into each program instead, with the linker's --wrap of the glue's thread and fork
wrappers and --export-dynamic, and the programs run as they are (--linked). Every program first
proves that LIB serves it: each name of the malloc family resolves into LIB, or into the program
linked with it (dladdr of the dynamic linker's own lookup), so a preload that silently did not
apply fails. The stress program also runs under plain glibc with the same seed;
the digests of the two runs' outcomes must be equal, and when they are not, the first operation
whose outcome differs is shown.

One line per check, PASS, FAIL and why (then the program's other FAIL lines, indented) or SKIP and
why; the exit status is 1 when a check failed, 77 when every check was skipped, 0 otherwise. When
the glue itself stopped the program (a checked build's `alloc8 check (...)` line, or its run-time
check of the allocator's own calls), that line is the FAIL line; with entry.init bound, a program
that died in its first allocation gets a line that explains what the glue does while init runs.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

from . import kitprograms, platforms
from .errors import UsageError, printable

CHECKS = ("api", "stress", "threads", "fork", "cxx", "programs")

# The kit's sources: kit/ beside gen/ in the source tree, share/alloc8/kit beside
# share/alloc8/gen when installed (as templates/ is).
KIT_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kit"))

# A safety net only: every program bounds its own work and has an alarm that reports a hang.
TIMEOUT = 900

# --quick: fewer iterations of the same checks, for edit-compile-test loops (docs/checking.md).
QUICK = {"stress": ["--ops", "20000"], "threads": ["--rounds", "4"], "fork": ["--forks", "20"]}

COMPILE_FLAGS = ("-std=c11", "-O2", "-g", "-fno-builtin", "-pthread")
CXX_COMPILE_FLAGS = ("-std=c++17", "-O2", "-g", "-fno-builtin", "-pthread")


def applicable(spec, linked=False):
    """The checks that apply to the spec's library: cxx only when the glue defines the C++
    operators (cxx: true, which prefixed mode refuses); programs (kitprograms.py) only for a shared
    library in interpose mode, which serves the programs it is preloaded into (a static archive
    serves only the programs linked with it)."""
    serves_programs = spec.mode == "interpose" and not linked
    return [c for c in CHECKS if (c != "cxx" or spec.cxx) and (c != "programs" or serves_programs)]


def is_archive(lib):
    """A static archive (alloc8_add_interposer ... STATIC), which the kit links into its programs."""
    return lib.endswith(".a")


class Skipped(Exception):
    """A check that cannot run here (no C++ compiler): reported as SKIP with the reason."""

# The names whose definitions the kit programs prove are the library's (kit/kit.h, kit_bind).
KIT_NAMES = ("malloc", "free", "calloc", "realloc", "memalign", "posix_memalign", "aligned_alloc", "valloc",
             "pvalloc", "malloc_usable_size", "free_sized", "free_aligned_sized")


def program_name(check):
    """The kit program's executable name (as alloc8_add_conformance_tests builds it too)."""
    return f"alloc8_kit_{check}"


def facts(spec):
    """The spec's facts for the kit programs, as their arguments (kit/kit.h lists them).

    platforms.describe() (alloc8-gen --describe) does not print these yet (guarantees, entry
    symbols, mode and prefix), so they are read from the spec's model here."""
    g = spec.guarantees
    args = ["--alignment", str(g.alignment)]
    if g.alignment_by_size:
        args.append("--alignment-by-size")
    args += ["--sets-errno", g.sets_errno_text]
    if g.free_preserves_errno:
        args.append("--free-preserves-errno")
    if g.zeroed_from:
        args += ["--zeroed-from", str(g.zeroed_from)]
    for role in sorted(spec.entries):
        symbol = spec.entries[role].symbol
        if role == "aligned" and spec.has("aligned_large"):  # the kit's checks name the two as entry.aligned
            large = spec.entries["aligned_large"]
            symbol += f", or {large.symbol} from alignment {large.from_alignment}"
        args += ["--entry", f"{role}={symbol}"]
    for name in sorted(set(getattr(spec, "kept", ())) & set(KIT_NAMES)):
        args += ["--kept", name]  # an entry binds glibc's own (bindings/glibc.yaml): the glue leaves it
    if spec.threads:
        for hook in ("init", "cleanup", "created_flag"):
            symbol = getattr(spec.threads, hook, None)
            if symbol:
                args += ["--entry", f"threads.{hook}={symbol}"]
        if not spec.threads.lazy_init:
            args.append("--threads-at-start")
    return args


def _say(out, line):
    print(printable(line), file=out, flush=True)


def _compile(check, work, cc, cxx, link=()):
    """Compile kit/<check>.c (kit/cxx.cpp with the C++ compiler), with `link` (a static archive's
    link options); returns (path, None) or (None, why). Raises Skipped when the C++ check has no
    C++ compiler."""
    if check == "cxx":
        if shutil.which(cxx[0]) is None:
            raise Skipped(f"no C++ compiler: {cxx[0]} is not on PATH (set CXX to one to run the C++ check)")
        cc, flags, source = cxx, CXX_COMPILE_FLAGS, os.path.join(KIT_DIR, "cxx.cpp")
    else:
        flags, source = COMPILE_FLAGS, os.path.join(KIT_DIR, f"{check}.c")
    target = os.path.join(work, program_name(check))
    command = [*cc, *flags, f"-I{KIT_DIR}", "-o", target, source, *link, "-ldl"]
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"cannot run the compiler ({' '.join(cc)}): {e}"
    if done.returncode != 0:
        text = done.stdout.decode("utf-8", "replace").strip().splitlines()
        return None, f"{' '.join(cc)} could not compile {source}: " + (text[0] if text else f"exit {done.returncode}")
    return target, None


def _run(program, args, preload):
    """Run one kit program; returns (exit status or -signal, stdout lines, stderr lines)."""
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    if preload:
        env["LD_PRELOAD"] = preload
    try:
        done = subprocess.run([program, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace").splitlines()
        return None, out, [f"no result after {TIMEOUT} s (the program's own alarm did not fire either)"]
    return (done.returncode, done.stdout.decode("utf-8", "replace").splitlines(),
            done.stderr.decode("utf-8", "replace").splitlines())


def _why(status):
    if status is None:
        return f"it was stopped after {TIMEOUT} s"
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        return f"it was killed by {name}"
    return f"exit status {status}"


def _glue_stop(check, status, fails, err):
    """The glue's own line when it stopped the program, as the first line of the check's FAIL.

    A checked build (alloc8_add_interposer ... CHECKED, docs/spec.md "Checked build") writes one
    line `alloc8 check (<spec>): ...` naming the entry and the contract, then aborts; the run-time
    check of the allocator's own calls into the glue writes `alloc8: ...` and aborts too. Either is
    a better first line than the kit's own report of the SIGABRT, which gives the phase."""
    line = next((e for e in err if e.startswith("alloc8 check (")), None)
    what = "the checked build"
    if line is None:
        line = next((e for e in err if e.startswith("alloc8: ") and " calls " in e), None)
        what = "the glue's check of the allocator's own calls"
    if line is None:
        return None
    phase = next((f[len(f"FAIL {check}: "):] for f in fails if " (SIGABRT) while " in f), "")
    phase = phase.split(" while ", 1)[1] if " while " in phase else ""
    where = f" while {phase}" if phase else ""
    stopped = "stopped the program" + (f" ({_why(status)})" if status not in (0, 1) else "")
    return f"{check}: {line.rstrip()} [{what} {stopped}{where}]"


def _verdict(check, status, out, err):
    """(passed, first line, detail lines) of one run."""
    fails = [line for line in out if line.startswith("FAIL ")]
    summary = next((line for line in reversed(out) if line.startswith(f"{check}: ")), "")
    served = any(line.startswith(f"served: {check}:") for line in out)
    stop = _glue_stop(check, status, fails, err)
    if status == 0 and not fails and served and summary.endswith("checks passed") and stop is None:
        return True, summary, []
    if stop is not None:
        others = [f for f in fails if " (SIGABRT) while " not in f]
        return False, stop, others + [f"stderr: {e}" for e in err if not e.startswith("alloc8")][:5]
    details = fails[1:] + [f"stderr: {line}" for line in err[:5]]
    if fails:
        first = fails[0][len("FAIL "):]
        if status not in (0, 1):
            details.append(f"({_why(status)})")
        return False, first, details
    if not served and status is not None and status >= 0:
        return False, f"{check}: the program did not prove that the library served it ({_why(status)})", details
    return False, f"{check}: {_why(status)} without a FAIL line" + (f"; last output: {out[-1]}" if out else ""), details


# kit/kit.h, KIT_INIT_PHASE: the phase of the first allocation when the spec binds entry.init.
INIT_PHASE = "the first allocation, malloc(1), which runs entry.init"


def _init_failure(spec, check, out, err):
    """With entry.init bound, a program that died in its first allocation died in init (which runs
    first) unless the glue stopped it (its own line says why) or the fault is in another entry's
    function: the line that says so in the user's terms (what the glue does while init runs), or
    None."""
    if not spec.has("init") or _glue_stop(check, 0, [], err) is not None:
        return None
    died = next((line for line in out if line.startswith(f"FAIL {check}: ") and line.endswith(" while " + INIT_PHASE)),
                None)
    if died is None:
        return None
    how = died[len(f"FAIL {check}: "):-len(" while " + INIT_PHASE)]
    others = {e.symbol for role, e in spec.entries.items() if role != "init"}
    if any(f", in {symbol} (" in how for symbol in others):
        return None
    size = spec.bootstrap_size
    init = f"entry.init ({spec.entries['init'].symbol})"
    # the glue's own line when a request of init's did not fit (templates/common/bootstrap.c.j2)
    full = next((e.rstrip() for e in err if e.startswith("alloc8 (") and " from the bootstrap area" in e), None)
    if full is not None:
        advice = (f"the glue said: {full}; check init's allocations for NULL, or take large memory from "
                  "mmap")
    elif how.startswith("no progress"):
        advice = ("other threads wait until init has returned: init must not wait for another thread that "
                  "allocates")
    else:
        advice = (f"a request that does not fit in the {size} bytes returns NULL: check init's allocations for "
                  "NULL, take large memory from mmap, or raise bootstrap_size")
    return (f"{check}: {init} broke \"the calls its thread makes to the glue's allocating functions are served "
            f"from the glue's bootstrap area (bootstrap_size bytes, never reused: a request that does not fit fails "
            f"with ENOMEM)\" (docs/spec.md, Where an allocator may get its memory; bootstrap_size: {size}): "
            f"malloc(1), the program's first allocation, ran {init} and ended in {how}; while init runs, its "
            f"malloc, calloc, strdup, ... are not glibc's but the bootstrap area's, and {advice}")


# kit/kit.h, kit_say_hook: a crash inside a thread hook, or a hang while one had not returned.
_IN_HOOK = re.compile(r", (?:inside|in) threads\.(init|cleanup) \(([^)]*)\), which (the glue called in this thread|"
                      r"began \d+ times? and returned \d+ times? \(the glue's counts\))")
_HOOK_CONTRACTS = {
    "init": '"init may allocate; those calls reach the allocator as usual" (docs/threads.md, When init runs)',
    "cleanup": '"cleanup may allocate and free; those calls reach the allocator as usual" (docs/threads.md, When '
               'cleanup runs)',
}


def _hook_failure(check, out):
    """A program that crashed inside a thread hook, or hung while one had not returned: the line that
    names the hook and what it may do (its calls into the allocator are not guarded), or None."""
    died = next((line for line in out if line.startswith(f"FAIL {check}: ") and _IN_HOOK.search(line)), None)
    if died is None:
        return None
    hook, symbol, how = _IN_HOOK.search(died).groups()
    if how.startswith("began"):
        advice = ("the glue holds no lock around a hook, so a hook that never returns waits for itself or for "
                  "another thread: for example for a lock it holds that its own malloc or free takes")
    else:
        advice = ("the allocator's entries serve a hook's calls at once, so what the hook is still setting up "
                  "must not be needed by them")
    return (f"{check}: threads.{hook} ({symbol}) broke {_HOOK_CONTRACTS[hook]}: "
            f"{died[len(f'FAIL {check}: '):]}; {advice}")


def _digest(out):
    for line in out:
        if line.startswith("digest: "):
            return line.split()[1]
    return None


# The entry behind each call the stress program makes (for a difference from glibc).
_CALL_ENTRY = (("calloc(", "entry.calloc"), ("realloc(", "entry.realloc"), ("memalign(", "entry.aligned"),
               ("aligned_alloc(", "entry.aligned"), ("valloc(", "entry.aligned"), ("pvalloc(", "entry.aligned"),
               ("malloc_usable_size(", "entry.usable_size"), ("free", "entry.free"), ("malloc(", "entry.malloc"))


def _first_difference(program, args, ref_args, lib, preload, work, symbols, sets_errno):
    """Run both sides of the stress again with --trace; the first line that differs, described."""
    mine = os.path.join(work, "trace.lib")
    theirs = os.path.join(work, "trace.glibc")
    _run(program, [*args, "--trace", mine], preload)
    _run(program, [*ref_args, "--trace", theirs], None)
    try:
        with open(mine, encoding="utf-8", errors="replace") as a, open(theirs, encoding="utf-8", errors="replace") as b:
            for left, right in zip(a, b):
                if left != right:
                    left, right = left.strip(), right.strip()
                    call = left.split(": ", 1)[1].rsplit(" -> ", 1)[0] if ": " in left else left
                    entry = next((e for key, e in _CALL_ENTRY if key in call), "entry.malloc")
                    symbol = symbols.get(entry[len("entry."):], "not bound: derived by the glue")
                    who = f"{entry} ({symbol})"
                    if any(word in left + right for word in ("errno", "ENOMEM", "EINVAL")):
                        who += f" and guarantees.sets_errno ({sets_errno})"
                        contract = ('"Every failed allocation sets errno = ENOMEM" (docs/spec.md, What the '
                                    'generated glue does), as glibc does')
                    else:
                        contract = "the outcome glibc gives to the same call (the differential stress)"
                    return (f"{who} broke {contract}: the same operations from the same seed differ first at "
                            f"{left.split(':', 1)[0]}: under {lib}: {left.split(': ', 1)[-1]}; under glibc: "
                            f"{right.split(': ', 1)[-1]}")
    except OSError as e:
        return f"the traces could not be compared: {e}"
    return "the digests differ but the traces do not (a nondeterministic run?)"


def check_library(spec, lib, checks=None, programs=None, seed=None, out=sys.stdout, quick=False):
    """Run the kit's checks against `lib`; print one line per check; returns the exit status."""
    if not spec.glue:
        raise UsageError(f"{spec.file_name} has no 'entry' (it describes only a heap): there is no allocator to check")
    platforms.selected(spec, "linux")  # the kit runs on Linux: the spec must list it
    if not os.path.isfile(lib):
        raise UsageError(f"--check-library {lib}: no such file")
    lib = os.path.abspath(lib)
    linked = is_archive(lib)
    if linked and spec.mode == "prefixed":
        raise UsageError(f"--check-library {lib}: a static archive in prefixed mode; the kit checks a prefixed "
                         "library as a shared library (dlopen): build one (alloc8_add_interposer without STATIC)")
    checks = [c.strip() for c in checks] if checks else applicable(spec, linked)
    for check in checks:
        if check not in CHECKS:
            raise UsageError(f"--checks: unknown check '{check}'; expected some of {', '.join(CHECKS)}")
        if check not in applicable(spec, linked):
            why = ("defines no C++ operators (cxx: false, or prefixed mode)" if check == "cxx" else
                   "is in prefixed mode: its library serves no program by itself" if spec.mode == "prefixed" else
                   "is checked as a static archive, which serves only the programs linked with it")
            raise UsageError(f"--checks {check}: {spec.file_name} {why}: there is nothing for the {check} check to "
                             "check")
    if programs is None and not os.path.isdir(KIT_DIR):
        raise UsageError(f"the kit's sources are not at {KIT_DIR} (is alloc8 installed completely?)")
    args = ["--lib", lib]
    preload = lib
    link = ()
    if linked:  # linked whole, exported, with the glue's wrappers: as the archive's users link it
        args.append("--linked")
        preload = None
        wraps = [f"-Wl,--wrap={name}" for name in platforms.static_wraps(spec, "linux")]
        link = ("-rdynamic", "-Wl,--whole-archive", lib, "-Wl,--no-whole-archive", *wraps)
    elif spec.mode == "prefixed":
        args += ["--prefixed", spec.prefix]
        preload = None
    args += facts(spec)
    symbols = {role: e.symbol for role, e in spec.entries.items()}
    cc = os.environ.get("CC", "").split() or ["cc"]
    cxx = os.environ.get("CXX", "").split() or ["c++"]
    failed = skipped = 0
    with tempfile.TemporaryDirectory(prefix="alloc8-kit-") as work:
        for check in checks:
            if check == "programs":  # installed programs, run by the driver itself
                try:
                    passed, first, details = kitprograms.check(lib, work, quick)
                except LookupError as e:
                    _say(out, f"SKIP programs: {e}")
                    skipped += 1
                    continue
                failed += not passed
                _say(out, f"PASS {first}" if passed else f"FAIL {first}")
                continue
            try:
                if programs is not None:
                    program = os.path.join(programs, program_name(check))
                    why = None if os.access(program, os.X_OK) else f"{program} is not an executable"
                    if why and check == "cxx" and not os.path.exists(program):
                        raise Skipped(f"{os.path.abspath(programs)} has no {program_name(check)}: the project that "
                                      "built the kit has no C++ compiler enabled (enable_language(CXX) before "
                                      "alloc8_add_conformance_tests)")
                else:
                    program, why = _compile(check, work, cc, cxx, link)
            except Skipped as e:
                _say(out, f"SKIP {check}: {e}")
                skipped += 1
                continue
            if why:
                _say(out, f"FAIL {check}: {why}")
                failed += 1
                continue
            extra = ["--seed", str(seed)] if check == "stress" and seed is not None else []
            if quick:
                extra += QUICK.get(check, [])
            status, lines, err = _run(program, args + extra, preload)
            passed, first, details = _verdict(check, status, lines, err)
            if not passed:
                first = _hook_failure(check, lines) or _init_failure(spec, check, lines, err) or first
            if passed and check == "stress":
                ref_args = ["--reference", *extra]  # glibc's own guarantees, not the spec's
                ref_status, ref_lines, ref_err = _run(program, ref_args, None)
                ref_passed, ref_first, _ = _verdict(check, ref_status, ref_lines, ref_err)
                if not ref_passed:
                    passed, first = False, f"stress: the reference run under glibc failed: {ref_first}"
                elif _digest(lines) != _digest(ref_lines):
                    passed = False
                    first = "stress: " + _first_difference(program, args + extra, ref_args, lib, preload, work,
                                                           symbols, spec.guarantees.sets_errno_text)
                else:
                    first = f"{first}; digest {_digest(lines)} equal to glibc's"
            if passed:
                _say(out, f"PASS {first}; served by {'the programs linked with ' if linked else ''}{lib}")
            else:
                failed += 1
                _say(out, f"FAIL {first}")
                for line in details:
                    _say(out, f"    {line}")
    n = len(checks)
    if programs is not None:
        source = f"kit programs from {os.path.abspath(programs)}"
    else:
        source = f"kit compiled from {KIT_DIR} with {' '.join(cc)}" + (f" and {' '.join(cxx)}" if "cxx" in checks else "")
    skips = f", {skipped} skipped" if skipped else ""
    if quick:
        source += "; --quick: fewer iterations"
    _say(out, f"alloc8 kit: {n - failed - skipped} of {n} checks passed{skips} for {lib} ({spec.file_name}, "
              f"{spec.mode} mode{', linked into the programs' if linked else ''}; {source})")
    if failed:
        return 1
    return 77 if skipped == n else 0  # 77: every check skipped (CTest's SKIP_RETURN_CODE)
