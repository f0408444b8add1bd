# SPDX-License-Identifier: MIT
"""alloc8-gen SPEC --check-library LIB: run the kit (kit/, docs/kit.md) against a built library.

Each kit program is compiled with `cc` (or $CC) into a temporary directory, unless
--kit-programs names a directory that holds them already built (alloc8_add_conformance_tests
builds them with the project's compiler), and run with LD_PRELOAD=LIB (interpose mode) or with
LIB loaded by dlopen (prefixed mode). Every program first proves that LIB serves it: each name of
the malloc family resolves into LIB (dladdr of the dynamic linker's own lookup), so a preload that
silently did not apply fails. The stress program also runs under plain glibc with the same seed;
the digests of the two runs' outcomes must be equal, and when they are not, the first operation
whose outcome differs is shown.

One line per check, PASS or FAIL and why (then the program's other FAIL lines, indented); the exit
status is 0 when every check passed, 1 otherwise.
"""

import os
import signal
import subprocess
import sys
import tempfile

from . import platforms
from .errors import UsageError, printable

CHECKS = ("api", "stress", "threads", "fork")

# The kit's sources: kit/ beside gen/ in the source tree, share/alloc8/kit beside
# share/alloc8/gen when installed (as templates/ is).
KIT_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kit"))

# A safety net only: every program bounds its own work and has an alarm that reports a hang.
TIMEOUT = 900

COMPILE_FLAGS = ("-std=c11", "-O2", "-g", "-fno-builtin", "-pthread")

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
    sets = g.sets_errno
    args += ["--sets-errno", "true" if sets is True else "false" if sets is False else str(sets)]
    if g.free_preserves_errno:
        args.append("--free-preserves-errno")
    if g.zeroed_from:
        args += ["--zeroed-from", str(g.zeroed_from)]
    for role in sorted(spec.entries):
        args += ["--entry", f"{role}={spec.entries[role].symbol}"]
    for name in sorted(set(getattr(spec, "kept", ())) & set(KIT_NAMES)):
        args += ["--kept", name]  # an entry binds glibc's own (bindings/glibc.yaml): the glue leaves it
    if spec.threads:
        for hook in ("init", "cleanup"):
            symbol = getattr(spec.threads, hook, None)
            if symbol:
                args += ["--entry", f"threads.{hook}={symbol}"]
    return args


def _say(out, line):
    print(printable(line), file=out, flush=True)


def _compile(check, work, cc):
    """Compile kit/<check>.c; returns (path, None) or (None, why)."""
    source = os.path.join(KIT_DIR, f"{check}.c")
    target = os.path.join(work, program_name(check))
    command = [*cc, *COMPILE_FLAGS, f"-I{KIT_DIR}", "-o", target, source, "-ldl"]
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


def _verdict(check, status, out, err):
    """(passed, first line, detail lines) of one run."""
    fails = [line for line in out if line.startswith("FAIL ")]
    summary = next((line for line in reversed(out) if line.startswith(f"{check}: ")), "")
    served = any(line.startswith(f"served: {check}:") for line in out)
    if status == 0 and not fails and served and summary.endswith("checks passed"):
        return True, summary, []
    details = fails[1:] + [f"stderr: {line}" for line in err[:5]]
    if fails:
        first = fails[0][len("FAIL "):]
        if status not in (0, 1):
            details.append(f"({_why(status)})")
        return False, first, details
    if not served and status is not None and status >= 0:
        return False, f"{check}: the program did not prove that the library served it ({_why(status)})", details
    return False, f"{check}: {_why(status)} without a FAIL line" + (f"; last output: {out[-1]}" if out else ""), details


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


def check_library(spec, lib, checks=None, programs=None, seed=None, out=sys.stdout):
    """Run the kit's checks against `lib`; print one line per check; returns the exit status."""
    if not spec.glue:
        raise UsageError(f"{spec.file_name} has no 'entry' (it describes only a heap): there is no allocator to check")
    platforms.selected(spec, "linux")  # the kit runs on Linux: the spec must list it
    if not os.path.isfile(lib):
        raise UsageError(f"--check-library {lib}: no such file")
    lib = os.path.abspath(lib)
    checks = [c.strip() for c in checks] if checks else list(CHECKS)
    for check in checks:
        if check not in CHECKS:
            raise UsageError(f"--checks: unknown check '{check}'; expected some of {', '.join(CHECKS)}")
    if programs is None and not os.path.isdir(KIT_DIR):
        raise UsageError(f"the kit's sources are not at {KIT_DIR} (is alloc8 installed completely?)")
    args = ["--lib", lib]
    preload = lib
    if spec.mode == "prefixed":
        args += ["--prefixed", spec.prefix]
        preload = None
    args += facts(spec)
    symbols = {role: e.symbol for role, e in spec.entries.items()}
    cc = os.environ.get("CC", "").split() or ["cc"]
    failed = 0
    with tempfile.TemporaryDirectory(prefix="alloc8-kit-") as work:
        for check in checks:
            if programs is not None:
                program = os.path.join(programs, program_name(check))
                why = None if os.access(program, os.X_OK) else f"{program} is not an executable"
            else:
                program, why = _compile(check, work, cc)
            if why:
                _say(out, f"FAIL {check}: {why}")
                failed += 1
                continue
            extra = ["--seed", str(seed)] if check == "stress" and seed is not None else []
            status, lines, err = _run(program, args + extra, preload)
            passed, first, details = _verdict(check, status, lines, err)
            if passed and check == "stress":
                ref_args = ["--reference", *extra]  # glibc's own guarantees, not the spec's
                ref_status, ref_lines, ref_err = _run(program, ref_args, None)
                ref_passed, ref_first, _ = _verdict(check, ref_status, ref_lines, ref_err)
                if not ref_passed:
                    passed, first = False, f"stress: the reference run under glibc failed: {ref_first}"
                elif _digest(lines) != _digest(ref_lines):
                    passed = False
                    sets = spec.guarantees.sets_errno
                    first = "stress: " + _first_difference(program, args + extra, ref_args, lib, preload, work,
                                                           symbols, {True: "true", False: "false"}.get(sets, sets))
                else:
                    first = f"{first}; digest {_digest(lines)} equal to glibc's"
            if passed:
                _say(out, f"PASS {first}; served by {lib}")
            else:
                failed += 1
                _say(out, f"FAIL {first}")
                for line in details:
                    _say(out, f"    {line}")
    n = len(checks)
    if programs is not None:
        source = f"kit programs from {os.path.abspath(programs)}"
    else:
        source = f"kit compiled from {KIT_DIR} with {' '.join(cc)}"
    _say(out, f"alloc8 kit: {n - failed} of {n} checks passed for {lib} ({spec.file_name}, {spec.mode} mode; {source})")
    return 1 if failed else 0
