# SPDX-License-Identifier: MIT
"""Shared helpers for the generator tests: paths and running the CLI as a user would."""
import contextlib
import io
import os
import subprocess
import sys
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GEN = REPO / "gen"
REFERENCE_SPEC = REPO / "spec" / "allocator.yaml"
sys.path.insert(0, str(GEN))


def run_cli(*args, cwd=None, env=None):
    """Run `python -m alloc8gen ARGS` (with `env` added to the environment); returns the
    CompletedProcess (text mode)."""
    env = dict(os.environ, PYTHONPATH=str(GEN), **(env or {}))
    return subprocess.run([sys.executable, "-m", "alloc8gen", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=cwd, errors="replace")


def run_main(*args):
    """Run the CLI in this process, as `python -m alloc8gen ARGS` does (`sys.exit(main())`), and
    return the same CompletedProcess as run_cli. An interpreter start-up costs far more than most
    cases, so the bulk of them go through here; run_cli proves the real command on a few."""
    from alloc8gen.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main([str(a) for a in args])
        except SystemExit as e:  # argparse exits (--help, a bad option): the interpreter's rules
            if e.code is None or isinstance(e.code, int):
                status = e.code or 0
            else:
                print(e.code, file=sys.stderr)
                status = 1
        except Exception:  # the interpreter would print the traceback and exit 1
            traceback.print_exc()
            status = 1
    return subprocess.CompletedProcess(["alloc8-gen", *map(str, args)], status, out.getvalue(), err.getvalue())
