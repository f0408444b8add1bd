# SPDX-License-Identifier: MIT
"""Golden files: the generated code for the reference spec and the test specs is pinned.

A template or generator change that alters output fails here until the golden files are
regenerated on purpose:  ALLOC8_UPDATE_GOLDEN=1 python3 -m unittest test_golden  (in tests/gen).
"""
import os
import unittest
from pathlib import Path

from support import REFERENCE_SPEC, REPO

from alloc8gen import render
from alloc8gen.validate import load_spec

GOLDEN = REPO / "tests" / "golden"
SPECS = ([REFERENCE_SPEC] + sorted((REPO / "tests" / "specs" / "build").glob("*.yaml"))
         + sorted((REPO / "bindings").glob("*.yaml")) + sorted((REPO / "tests" / "musl").glob("*.yaml")))


class Golden(unittest.TestCase):
    def test_golden_files(self):
        update = os.environ.get("ALLOC8_UPDATE_GOLDEN") == "1"
        for spec_path in SPECS:
            with self.subTest(spec=spec_path.name):
                expected_dir = GOLDEN / spec_path.stem
                spec = load_spec(str(spec_path))
                produced = {}
                for platform in (p for p in ("linux", "windows", "macos", "musl") if p in spec.platforms or p == "linux"):
                    produced.update(render.render(spec, platform))
                if update:
                    for old in expected_dir.rglob("*"):
                        if old.is_file():
                            old.unlink()
                    for rel, text in produced.items():
                        (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                        (expected_dir / rel).write_text(text, encoding="utf-8", newline="\n")
                existing = sorted(str(p.relative_to(expected_dir)) for p in expected_dir.rglob("*") if p.is_file())
                self.assertEqual(existing, sorted(produced), "golden file set differs from the generated set")
                for rel, text in produced.items():
                    golden = (expected_dir / rel).read_text(encoding="utf-8")
                    self.assertEqual(text, golden, f"{rel} differs from tests/golden/{spec_path.stem}/{rel}")


if __name__ == "__main__":
    unittest.main()
