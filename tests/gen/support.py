"""Shared helpers for the generator tests: paths and running the CLI as a user would."""
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GEN = REPO / "gen"
REFERENCE_SPEC = REPO / "spec" / "allocator.yaml"
sys.path.insert(0, str(GEN))


def run_cli(*args, cwd=None):
    """Run `python -m alloc8gen ARGS`; returns the CompletedProcess (text mode)."""
    env = dict(os.environ, PYTHONPATH=str(GEN))
    return subprocess.run([sys.executable, "-m", "alloc8gen", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=cwd, errors="replace")
