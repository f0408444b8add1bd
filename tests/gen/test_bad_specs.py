# SPDX-License-Identifier: MIT
"""Every malformed spec gets exactly one `file:line: what; expected what` line and exit status 2.

tests/specs/bad/*.yaml each start with `# expect: <line>` ({file} stands for the path). Inputs that
cannot live in a text corpus (binary junk, huge files, NUL bytes) are made here, and a seeded
fuzz loop mutates the reference spec: the generator may accept or reject, never crash.

Every case runs the CLI in this process (run_main: an interpreter start-up per case cost most of
this test's time); the cases in REAL_CLI also run the real `python -m alloc8gen`, which must
answer exactly the same.
"""
import contextlib
import io
import random
import re
import tempfile
import unittest
from pathlib import Path

from support import REFERENCE_SPEC, REPO, run_cli, run_main

BAD = REPO / "tests" / "specs" / "bad"
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# one of each way in: a message with non-ASCII text, a YAML parser error (corpus); bytes that are
# not UTF-8, a file that is not there (made by test_generated_inputs)
REAL_CLI_CORPUS = {"15-symbol-unicode.yaml", "50-yaml-syntax-error.yaml"}
REAL_CLI = REAL_CLI_CORPUS | {"junk.yaml", "no-such-spec.yaml"}


class BadSpecs(unittest.TestCase):
    def assert_rejected(self, path, expected=None):
        args = (path, "--list-outputs", "--out", "out")
        result = run_main(*args)
        self.assert_one_line(result, path, expected)
        if path.name in REAL_CLI:
            real = run_cli(*args)
            self.assert_one_line(real, path, expected)
            self.assertEqual((real.returncode, real.stdout, real.stderr),
                             (result.returncode, result.stdout, result.stderr), "in-process and real CLI differ")

    def assert_one_line(self, result, path, expected):
        self.assertEqual(result.returncode, 2, f"{path}: {result.stderr}")
        self.assertNotIn("Traceback", result.stderr)
        self.assertEqual(result.stdout, "")
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertRegex(lines[0], r"^.+:\d+: .+; expected .+$")
        if expected is not None:
            self.assertEqual(lines[0], expected.replace("{file}", str(path)))

    def test_corpus(self):
        files = sorted(BAD.glob("*.yaml"))
        self.assertGreaterEqual(len(files), 30)
        self.assertLessEqual(REAL_CLI_CORPUS, {p.name for p in files})
        for path in files:
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
            self.assertTrue(first.startswith("# expect: "), path)
            with self.subTest(spec=path.name):
                self.assert_rejected(path, first[len("# expect: "):])

    def test_generated_inputs(self):
        rng = random.Random(8)
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            cases = {
                "junk.yaml": bytes(rng.randrange(256) for _ in range(4096)),
                "nul.yaml": b"name: demo\0\nentry: {}\n",
                "latin1.yaml": "name: d\xe9mo\n".encode("latin-1"),
                "huge.yaml": b"# " + b"x" * (2 << 20) + b"\n",
            }
            for name, data in cases.items():
                (tmp / name).write_bytes(data)
                with self.subTest(input=name):
                    self.assert_rejected(tmp / name)
            with self.subTest(input="missing file"):
                self.assert_rejected(tmp / "no-such-spec.yaml")
            with self.subTest(input="a directory"):
                self.assert_rejected(tmp)

    def test_fuzzed_reference_spec(self):
        """Mutations of the reference spec: exit 0 or 2, never a traceback; accepted specs
        only ever carry C identifiers into the generated code."""
        from alloc8gen.cli import main
        from alloc8gen.validate import load_spec
        rng = random.Random(2026)
        lines = REFERENCE_SPEC.read_text(encoding="utf-8").splitlines(keepends=True)
        tokens = ["", "x", "1", "-1", "true", "[", "]", "{", "}", ":", "&a", "*a", "!!str", "'", "\"",
                  "a b", "malloc", "__libc_free", "0x10", "1e9", "~", "%", "\t", "é", "- x"]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "fuzz.yaml"
            for case in range(200):
                mutated = list(lines)
                for _ in range(rng.randint(1, 3)):
                    i = rng.randrange(len(mutated))
                    kind = rng.randrange(4)
                    if kind == 0:
                        del mutated[i]
                    elif kind == 1:
                        mutated.insert(i, mutated[i])
                    elif kind == 2:
                        j = rng.randrange(len(mutated))
                        mutated[i], mutated[j] = mutated[j], mutated[i]
                    else:
                        head = mutated[i].split(":", 1)[0]
                        mutated[i] = f"{head}: {rng.choice(tokens)}\n"
                path.write_text("".join(mutated), encoding="utf-8")
                err = io.StringIO()
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    status = main([str(path), "--list-outputs"])  # in-process: fast
                with self.subTest(case=case):
                    self.assertIn(status, (0, 2), err.getvalue())
                    self.assertNotIn("internal error", err.getvalue())
                    if status == 0:
                        spec = load_spec(str(path))
                        for entry in spec.entries.values():
                            self.assertRegex(entry.symbol, IDENT)
                        self.assertRegex(spec.name, IDENT)


if __name__ == "__main__":
    unittest.main()
