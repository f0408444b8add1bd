# SPDX-License-Identifier: MIT
"""alloc8-gen: the command line."""

import argparse
import functools
import os
import sys
import tempfile

from . import __version__, platforms, render
from .errors import SpecError, UsageError, printable
from .validate import load_spec

EXAMPLES = """\
examples:
  alloc8-gen spec/allocator.yaml --out build/alloc8
      write build/alloc8/linux/<name>_malloc.c and friends
  alloc8-gen spec/allocator.yaml --platform linux --list-outputs --out gen
      print the files it would write (for build systems)
  alloc8-gen spec/allocator.yaml --platform linux --describe --out gen
      print what build systems need as key=value lines: the spec's facts (platforms=linux,macos,
      threads=runtime, ...), then one line per file it would write, with its tags:
        output=glue,threads,exceptions gen/linux/<name>_threads.c
      glue: built into the interposer; heap: the heap dispatch; threads: the thread-hook source;
      cxx: the C++ operators; exceptions: compile with -fexceptions
  alloc8-gen spec/allocator.yaml --out generated --check
      exit 1 and list the files that are stale or missing (for CI)
  alloc8-gen spec/allocator.yaml --platform linux --check-entries build/*.o
      read the allocator's object files (objdump) and exit 2 if an entry calls a name the glue
      exports (malloc, __libc_malloc, ...) or a libc function that allocates (strdup, fopen, ...)
  alloc8-gen myalloc.yaml --check-library build/libmyalloc.so
      run the kit's checks (api, stress, threads, fork, cxx) against the built library; exit 1 if one
      failed, 77 if every one was skipped (cxx without a C++ compiler) (docs/checking.md)
  python3 -m alloc8gen spec/allocator.yaml      (with gen/ on PYTHONPATH)

exit status: 0 done (or up to date), 1 --check found stale or missing files (or a check of
               --check-library failed),
             2 the spec or the command line is wrong (file:line: what; expected what), or
               --check-entries found an entry that calls back into the glue (one line each)
"""


@functools.lru_cache(maxsize=None)
def _parser():
    p = argparse.ArgumentParser(
        prog="alloc8-gen",
        description="Generate the C glue that makes the allocator described by SPEC replace the "
                    "system malloc (or export a prefixed API).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("spec", metavar="SPEC", help="the allocator spec (YAML; see docs/spec.md)")
    p.add_argument("--platform", choices=platforms.NAMES + ("all",), default="all",
                   help="platform to generate (default: all platforms the spec lists)")
    p.add_argument("--out", metavar="DIR", default="alloc8-generated",
                   help="output directory; files go to DIR/<platform>/ (default: %(default)s)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 if any output is stale or missing")
    mode.add_argument("--list-outputs", action="store_true",
                      help="write nothing; print the paths of the files that would be written")
    mode.add_argument("--describe", action="store_true",
                      help="write nothing; print key=value facts about the spec, then an "
                           "'output=TAGS PATH' line for each file that would be written (for build "
                           "systems; see the examples)")
    mode.add_argument("--check-entries", nargs="*", metavar="OBJ",
                      help="write nothing; read the allocator's object files and exit 2 if an entry "
                           "calls back into the glue (Linux; docs/spec.md, \"Where an allocator may get "
                           "its memory\")")
    mode.add_argument("--check-library", metavar="LIB",
                      help="write nothing; run the conformance and stress kit (docs/checking.md) against LIB, the "
                           "library built from SPEC (Linux; a static archive LIB.a is linked into the kit's programs): one PASS "
                           "or FAIL line per check, exit 1 if one failed")
    p.add_argument("--checks", metavar="NAMES",
                   help="with --check-library: the checks to run, comma-separated (default: api,stress,threads,fork, "
                        "cxx when the spec has the C++ operators, and programs for a shared library in interpose mode)")
    p.add_argument("--kit-programs", metavar="DIR",
                   help="with --check-library: the kit's programs already built (alloc8_kit_<check>), instead of "
                        "compiling them with cc ($CC) and c++ ($CXX)")
    p.add_argument("--seed", type=int, metavar="N", help="with --check-library: the stress check's seed (default 1)")
    p.add_argument("--quick", action="store_true",
                   help="with --check-library: fewer iterations of the same checks (stress, threads, fork)")
    p.add_argument("--objdump", metavar="PROGRAM", default="objdump",
                   help="the objdump that --check-entries runs (default: %(default)s)")
    p.add_argument("--version", action="version", version=f"alloc8-gen {__version__}")
    return p


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except SpecError as e:
        _say(sys.stderr, str(e))
        return 2
    except UsageError as e:
        _say(sys.stderr, f"alloc8-gen: {e}")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug in alloc8-gen: still no traceback for the user
        _say(sys.stderr, printable(f"alloc8-gen: internal error: {type(e).__name__}: {str(e)[:200]} "
                                   "(please report this with the spec that caused it)"))
        return 3


def _say(stream, line):
    """Print one line, whatever the stream's encoding can represent."""
    try:
        print(line, file=stream)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        print(line.encode(encoding, "backslashreplace").decode(encoding, "replace"), file=stream)


def _run(args):
    spec = load_spec(args.spec)
    if args.check_entries is not None:
        return _check_entries(spec, args)
    if args.check_library is not None:
        from . import checklib
        return checklib.check_library(spec, args.check_library, args.checks.split(",") if args.checks else None,
                                      args.kit_programs, args.seed, quick=args.quick)
    chosen = platforms.selected(spec, args.platform)
    # rendered for every mode: a spec the templates cannot render fails here, at configure time
    # for a build system that asks --list-outputs or --describe
    files = [(os.path.join(args.out, path), text) for p in chosen for path, text in render.render(spec, p)]
    if args.describe:
        for line in platforms.describe(spec, chosen[0] if len(chosen) == 1 else "linux"):
            _say(sys.stdout, line)
        for p in chosen:
            for path, tags in platforms.output_tags(spec, p):
                _say(sys.stdout, f"output={','.join(tags)} {os.path.join(args.out, path)}")
        return 0
    if args.list_outputs:
        for path, _ in files:
            _say(sys.stdout, path)
        return 0
    if args.check:
        return _check(files)
    # Everything is rendered and encoded before the first file is written, and each file is
    # replaced atomically: a failure never leaves a partial file behind.
    encoded = [(path, text.encode("utf-8")) for path, text in files]
    for path, data in encoded:
        _write(path, data)
    return 0


def _check_entries(spec, args):
    """--check-entries: one line per call path from an entry back into the glue; exit 2 if any."""
    if args.platform not in ("linux", "musl", "all"):
        raise UsageError(f"--check-entries checks the Linux glue (glibc or musl); --platform {args.platform} "
                         "has no such check")
    if not spec.glue:
        raise UsageError(f"{spec.file_name} has no 'entry' (it describes only a heap): there are no entries to check")
    platform = "linux" if args.platform == "all" else args.platform
    platforms.selected(spec, platform)  # the spec must list it
    from . import entrycheck  # only here: reading object files is this option's alone
    result = entrycheck.check(spec, args.check_entries, args.objdump, platform)
    for line in result.notes + result.findings:
        _say(sys.stderr, printable(line))
    if result.findings:
        n = len(result.findings)
        _say(sys.stderr, f"alloc8: {n} call{'s' if n > 1 else ''} from the entries of {spec.file_name} "
                         f"come{'' if n > 1 else 's'} back into the glue (docs/spec.md, \"Where an allocator may "
                         "get its memory\"); if such a path can never run, pass CHECK_ENTRIES RUNTIME to "
                         "alloc8_add_interposer to build without this check (OFF: without the run-time "
                         "check either)")
        return 2
    return 0


def _write(path, data):
    """Write `data` to `path` through a temporary file in the same directory, then rename it."""
    directory = os.path.dirname(path) or "."
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".alloc8-", suffix=".tmp", dir=directory)
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or type(e).__name__}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise UsageError(f"cannot write {path}: {e.strerror or type(e).__name__}") from None


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check(files):
    problems = []
    for path, text in files:
        try:
            with open(path, encoding="utf-8", newline="") as f:
                current = f.read()
        except FileNotFoundError:
            problems.append(f"missing: {path}")
            continue
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            problems.append(f"stale: {path}")
    for line in problems:
        _say(sys.stdout, printable(line))
    if problems:
        _say(sys.stderr, f"alloc8-gen: {len(problems)} of {len(files)} generated files are stale or missing; "
                         "regenerate them")
        return 1
    _say(sys.stdout, f"alloc8-gen: {len(files)} generated files are up to date")
    return 0
