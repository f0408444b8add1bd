# SPDX-License-Identifier: MIT
"""Reserved names, checked against this machine's real headers (headers.py derives them).

For every platform, every identifier the headers of the generated files declare or define as a
macro (and the C library's, which compilers know as builtins) must be refused wherever a spec's
name would become it: as an entry or hook symbol, as the heap's name or a name the heap derives
from it (<name>_allocate, <NAME>_ALIGNMENT, ...), as a name derived from the spec's name or
prefix. The patterns are read from the templates rendered with marker names, so a template that
starts deriving a new name is covered at once; the ones reserved.py must know are checked too.
On failure, `python3 headers.py` (in tests/gen) prints the data reserved.py should hold.
"""
import re
import shutil
import subprocess
import tempfile
import textwrap
import unittest
from pathlib import Path

import headers
from support import run_main

from alloc8gen import reserved
from alloc8gen.exports import MALLOC_API

HINT = "; refresh gen/alloc8gen/reserved.py from `python3 headers.py` (in tests/gen)"


def _show(items, limit=20):
    items = sorted(items)
    return ", ".join(map(str, items[:limit])) + (f" ... ({len(items)} in all)" if len(items) > limit else "")


class Reserved(unittest.TestCase):
    def platform_available(self, platform):
        names, problems = headers.header_identifiers(platform)
        if not names:
            if platform == "windows" and not shutil.which("x86_64-w64-mingw32-gcc"):
                self.skipTest("mingw-w64 is not installed (scripts/deps.sh installs it)")
            self.fail(f"no identifiers found for {platform}: {problems}")
        self.assertEqual(problems, (), f"{platform}: a compiler failed on the headers")
        return names

    def test_header_identifiers_refused(self):
        for platform in headers.PLATFORMS:
            with self.subTest(platform=platform):
                names = self.platform_available(platform)
                if platform == "linux":  # a sanity check of the extraction itself
                    self.assertLessEqual({"printf", "sleep", "clock_t", "dlopen", "thrd_t", "pthread_create",
                                          "EOF", "SYS_gettid", "GC_malloc", "linux", "sin", "index", "memory_order"},
                                         names)
                if platform == "windows":
                    self.assertLessEqual({"HeapAlloc", "DWORD", "min", "near", "interface", "_aligned_malloc",
                                          "TlsGetValue", "WIN32"}, names)
                accepted = headers.accepted_collisions(platform)
                self.assertEqual(accepted, [], f"{platform}: accepted although the generated code would turn "
                                               f"them into a header's name: " + _show(
                                                   f"{kind} '{base}' ({pattern} -> {ident})"
                                                   for kind, base, pattern, ident in accepted) + HINT)

    def test_derived_patterns_known(self):
        """The names the templates derive must be the ones reserved.py checks."""
        for platform in headers.PLATFORMS:
            with self.subTest(platform=platform):
                patterns = headers.derived_patterns(headers.render_markers(platform))
                self.assertLessEqual(patterns["spec"] - {"{}"}, set(reserved.DERIVED["spec"]), HINT)
                self.assertLessEqual(patterns["heap"] - {"{}"}, set(reserved.DERIVED["heap"]), HINT)
                self.assertEqual({p[2:] for p in patterns["prefix"] if p.startswith("{}")} - set(MALLOC_API), set())
                self.assertEqual(patterns["entry"] | patterns["hook"], {"{}"})

    def test_heap_cxx_member_names(self):
        """A heap named like a member its C++ struct declares would not compile (a member may not
        have its class's name): every name the struct's body declares or calls that the validator
        accepts as a heap name must give a header that compiles."""
        if not shutil.which("g++"):
            self.skipTest("g++ is not installed")
        from alloc8gen import render
        from alloc8gen.schema import C_KEYWORDS
        from alloc8gen.validate import load_spec
        candidates = set()
        for platform in headers.PLATFORMS:
            for text in (t for k, t in headers.render_markers(platform).items() if k.endswith(".hpp")):
                body = headers._strip_comments_and_strings(text[text.index("struct " + headers.MARK["heap"] + " {"):])
                found = set(re.findall(r"\b(?:class|struct|typename(?:\.\.\.)?)\s+([A-Za-z_]\w*)", body))
                found |= set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", body))
                candidates |= {d for d in found if headers.MARK["heap"] not in d.lower() and d not in C_KEYWORDS
                               and reserved.problem(d, "heap", (platform,)) is None}
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        units = []
        for name in sorted(candidates):
            spec_path = tmp / f"{name}.yaml"
            spec_path.write_text(f"name: hx\nheap: {{name: {name}, fallback: system, cxx_header: true}}\n",
                                 encoding="utf-8")
            out = tmp / name
            out.mkdir()
            for rel, body in render.render(load_spec(str(spec_path)), "linux"):
                (out / rel.split("/", 1)[1]).write_text(body, encoding="utf-8")
            unit = out / "unit.cpp"
            unit.write_text(f'#include "{name}.hpp"\n', encoding="utf-8")
            units.append((name, unit))
        failed = []
        for name, unit in units:
            result = subprocess.run(["g++", "-std=c++17", "-fsyntax-only", "-Wall", "-Wextra", "-Werror",
                                     f"-I{unit.parent}", f"-I{headers.RUNTIME_INCLUDE}", str(unit)],
                                    capture_output=True, text=True)
            if result.returncode:
                failed.append(f"{name}: {result.stderr.strip().splitlines()[0][:200]}")
        self.assertEqual(failed, [], "heap names accepted whose C++ header does not compile; add them to "
                                     "HEAP_CXX_NAMES in gen/alloc8gen/reserved.py")

    def test_system_header_files(self):
        """A generated header named like a system header (in any case) would hide it."""
        for platform in headers.PLATFORMS:
            with self.subTest(platform=platform):
                if platform == "windows" and not shutil.which("x86_64-w64-mingw32-gcc"):
                    self.skipTest("mingw-w64 is not installed")
                files = {f[:-2] for f in headers.header_files(platform) if f.endswith(".h")}
                if platform != "macos":  # (the minimal macOS headers have no stdio.h)
                    self.assertIn("stdio", files)
                self.assertEqual(files - reserved.HEADER_FILES, set(), platform + HINT)

    def test_through_the_cli(self):
        """The classes of issue 15, as a user meets them: one line, exit 2."""
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        entry = textwrap.dedent("""\
            entry:
              malloc: {malloc}
              free: my_free
              usable_size: my_usable_size
              aligned: my_aligned
              owns: my_owns
            """)
        cases = {
            "printf": "name: demo\n" + entry.format(malloc="printf"),
            "sleep": "name: demo\n" + entry.format(malloc="sleep"),
            "clock_t": "name: demo\n" + entry.format(malloc="clock_t"),
            "dlopen": "name: demo\n" + entry.format(malloc="dlopen"),
            "thrd_t": "name: demo\n" + entry.format(malloc="thrd_t"),
            "__linux__": "name: demo\n" + entry.format(malloc="__linux__"),
            "linux": "name: demo\n" + entry.format(malloc="linux"),
            "ALLOC8_": "name: demo\n" + entry.format(malloc="ALLOC8_MALLOC"),
            "sin (builtin)": "name: demo\n" + entry.format(malloc="sin"),
            "HeapAlloc": "name: demo\nplatforms: [windows]\n" + entry.format(malloc="HeapAlloc"),
            "heap and_eq": "name: demo\n" + entry.format(malloc="m") + "heap: {name: and_eq, cxx_header: true}\n",
            "heap stdio": "name: demo\n" + entry.format(malloc="m") + "heap: {name: stdio}\n",
            "heap STDIO": "name: demo\n" + entry.format(malloc="m") + "heap: {name: STDIO}\n",
            "heap Demo_glue": "name: demo\n" + entry.format(malloc="m") + "heap: {name: Demo_glue}\n",
            "heap time": "name: demo\n" + entry.format(malloc="m") + "heap: {name: time}\n",
            "heap with_allocator": "name: demo\n" + entry.format(malloc="m") + "heap: {name: with_allocator}\n",
            "prefixed spec named stdio": "name: stdio\nmode: prefixed\nprefix: s_\n" + entry.format(malloc="m"),
            "prefixed spec named current": "name: current\nmode: prefixed\nprefix: s_\n" + entry.format(malloc="m"),
            "lock without unlock": "name: demo\n" + entry.format(malloc="m") + "  lock: my_lock\n",
            "windows heap with fallback system": "name: demo\nplatforms: [windows]\n" + entry.format(malloc="m")
                                                 + "heap: {name: h, fallback: system}\n",
            "main": "name: demo\n" + entry.format(malloc="main"),
        }
        for label, text in cases.items():
            with self.subTest(case=label):
                path = tmp / "spec.yaml"
                path.write_text(text, encoding="utf-8")
                result = run_main(path, "--list-outputs")
                self.assertEqual(result.returncode, 2, f"{label}: accepted")
                self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        fine = {
            "names near reserved ones": "name: demo\n" + entry.format(malloc="printf_") + "heap: {name: my_heap}\n",
            "glibc's own functions, prefixed": "name: pg\nmode: prefixed\nprefix: pg_\n" + entry.format(
                malloc="__libc_malloc").replace("my_usable_size", "malloc_usable_size"),
        }
        for label, text in fine.items():
            with self.subTest(case=label):
                path = tmp / "fine.yaml"
                path.write_text(text, encoding="utf-8")
                result = run_main(path, "--list-outputs")
                self.assertEqual(result.returncode, 0, f"{label}: {result.stderr}")


if __name__ == "__main__":
    unittest.main()
