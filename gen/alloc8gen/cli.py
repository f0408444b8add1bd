"""alloc8-gen: the command line."""

import argparse
import os
import sys

from . import __version__, platforms, render
from .errors import SpecError, UsageError
from .spec import PLATFORMS, load_spec

EXAMPLES = """\
examples:
  alloc8-gen spec/allocator.yaml --out build/alloc8
      write build/alloc8/linux/<name>_malloc.c and friends
  alloc8-gen spec/allocator.yaml --platform linux --list-outputs --out gen
      print the files it would write (for build systems)
  alloc8-gen spec/allocator.yaml --describe
      print facts build systems need (thread-hook activation, ...) as key=value lines
  alloc8-gen spec/allocator.yaml --out generated --check
      exit 1 and list the files that are stale or missing (for CI)
  python3 -m alloc8gen spec/allocator.yaml      (with gen/ on PYTHONPATH)

exit status: 0 done (or up to date), 1 --check found stale or missing files,
             2 the spec or the command line is wrong (file:line: what; expected what)
"""


def _parser():
    p = argparse.ArgumentParser(
        prog="alloc8-gen",
        description="Generate the C glue that makes the allocator described by SPEC replace the "
                    "system malloc (or export a prefixed API).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("spec", metavar="SPEC", help="the allocator spec (YAML; see docs/spec.md)")
    p.add_argument("--platform", choices=PLATFORMS + ("all",), default="all",
                   help="platform to generate (default: all platforms the spec lists that this "
                        "version generates)")
    p.add_argument("--out", metavar="DIR", default="alloc8-generated",
                   help="output directory; files go to DIR/<platform>/ (default: %(default)s)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 if any output is stale or missing")
    mode.add_argument("--list-outputs", action="store_true",
                      help="write nothing; print the paths of the files that would be written")
    mode.add_argument("--describe", action="store_true",
                      help="write nothing; print key=value facts about the spec for build systems")
    p.add_argument("--version", action="version", version=f"alloc8-gen {__version__}")
    return p


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except SpecError as e:
        print(e, file=sys.stderr)
        return 2
    except UsageError as e:
        print(f"alloc8-gen: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug in alloc8-gen: still no traceback for the user
        print(f"alloc8-gen: internal error: {type(e).__name__}: {e} "
              "(please report this with the spec that caused it)", file=sys.stderr)
        return 3


def _run(args):
    spec = load_spec(args.spec)
    chosen, notes = platforms.selected(spec, args.platform)
    for note in notes:
        print(note, file=sys.stderr)
    if args.describe:
        for line in platforms.describe(spec):
            print(line)
        return 0
    files = [(os.path.join(args.out, path), text) for p in chosen for path, text in render.render(spec, p)]
    if args.list_outputs:
        for path, _ in files:
            print(path)
        return 0
    if args.check:
        return _check(files)
    for path, text in files:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return 0


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
        print(line)
    if problems:
        print(f"alloc8-gen: {len(problems)} of {len(files)} generated files are stale or missing; "
              "regenerate them", file=sys.stderr)
        return 1
    print(f"alloc8-gen: {len(files)} generated files are up to date")
    return 0
