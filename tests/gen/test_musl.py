# SPDX-License-Identifier: MIT
"""The musl platform (docs/platforms.md, "musl"): what the generator accepts and writes for it."""
import re
import shutil
import tempfile
import unittest
from pathlib import Path

from support import REPO, run_cli, run_main

from alloc8gen import render
from alloc8gen.validate import load_spec

MUSL_SPEC = REPO / "spec" / "allocator.yaml"  # lists musl
# The eight functions musl lets a program replace (musl 1.2.3's dynamic.list)
MUSL_FAMILY = {"malloc", "calloc", "realloc", "free", "aligned_alloc", "posix_memalign", "memalign",
               "malloc_usable_size"}
# Names the glibc glue defines that do not exist on musl
GLIBC_ONLY = {"valloc", "pvalloc", "cfree", "mallopt", "mallinfo", "mallinfo2", "malloc_trim", "malloc_stats",
              "malloc_info", "free_sized", "free_aligned_sized", "__libc_malloc", "__libc_free", "__libc_calloc",
              "__libc_realloc", "__libc_memalign", "__libc_valloc", "__libc_pvalloc", "__register_atfork", "dlopen"}
EXPORTED = re.compile(r"^ALLOC8_EXPORT [^(]*?\b(\w+)\(", re.M)


class Musl(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def rendered(self, spec_path=MUSL_SPEC):
        return dict(render.render(load_spec(str(spec_path)), "musl"))

    def test_files(self):
        files = self.rendered()
        self.assertEqual(sorted(files), ["musl/alloc8demo_cxx.c", "musl/alloc8demo_glue.h", "musl/alloc8demo_malloc.c",
                                         "musl/alloc8demo_threads.c"])
        self.assertIn("Template: templates/musl/malloc.c.j2", files["musl/alloc8demo_malloc.c"])
        self.assertIn("Template: templates/linux/threads.c.j2", files["musl/alloc8demo_threads.c"])

    def test_exactly_the_family_musl_honours(self):
        files = self.rendered()
        malloc_c = files["musl/alloc8demo_malloc.c"]
        defined = set(EXPORTED.findall(malloc_c))
        # pthread_atfork: the spec has a lock entry (the fork wrapper, defined through a macro)
        self.assertEqual(defined, MUSL_FAMILY | {"ALLOC8_PTHREAD_ATFORK"})
        everything = "\n".join(files.values())
        self.assertEqual(set(EXPORTED.findall(everything)) & GLIBC_ONLY, set())
        self.assertNotIn("ALLOC8_ALIAS", everything)  # no aliases (cfree, __libc_*)
        self.assertIsNone(re.search(r"__libc_\w+\s*[(;]", everything))  # no __libc_* declared, defined or called
        threads = files["musl/alloc8demo_threads.c"]
        self.assertNotIn("__cxa_thread_atexit_impl", threads)
        self.assertIn("#include <threads.h>", threads)
        self.assertNotIn("__GLIBC__", threads)

    def test_describe(self):
        result = run_main(MUSL_SPEC, "--platform", "musl", "--out", self.tmp, "--describe")
        self.assertEqual(result.returncode, 0, result.stderr)
        facts = dict(line.split("=", 1) for line in result.stdout.splitlines() if not line.startswith("output="))
        self.assertEqual(facts["static_wraps"], "pthread_atfork,pthread_create,thrd_create")
        # the run-time check of the allocator's own calls: musl's eight names, no __libc_* alias
        self.assertEqual(facts["self_wraps"].split(","), ["malloc", "free", "calloc", "realloc", "memalign",
                                                          "posix_memalign", "aligned_alloc", "malloc_usable_size"])
        tags = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("output=")]
        self.assertIn("output=glue,threads,exceptions", tags)
        linux = run_main(MUSL_SPEC, "--platform", "linux", "--out", self.tmp, "--describe").stdout
        self.assertIn("static_wraps=__register_atfork,pthread_create,thrd_create", linux)

    def test_cli_generates_musl(self):
        result = run_cli(MUSL_SPEC, "--platform", "musl", "--out", self.tmp)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue((self.tmp / "musl" / "alloc8demo_malloc.c").is_file())
        refused = run_main(REPO / "tests" / "specs" / "build" / "zeroed.yaml", "--platform", "musl", "--out", self.tmp)
        self.assertEqual(refused.returncode, 2)
        self.assertIn("does not list platform 'musl'", refused.stderr)

    def test_prefixed(self):
        spec = self.tmp / "p.yaml"
        spec.write_text("name: pm\nmode: prefixed\nprefix: pm_\nplatforms: [musl]\nentry:\n  malloc: a_malloc\n"
                        "  free: a_free\n  usable_size: a_usable_size\n"
                        "  aligned: {symbol: a_aligned, args: [alignment, size]}\n", encoding="utf-8")
        files = self.rendered(spec)
        self.assertEqual(sorted(files), ["musl/pm.h", "musl/pm_glue.h", "musl/pm_malloc.c"])  # prefixed: no C++ file
        defined = set(EXPORTED.findall(files["musl/pm_malloc.c"]))
        # exactly what the prefixed header declares (the same API on every platform): the eight
        # with musl's semantics, and valloc, pvalloc and the C23 sized frees
        declared = set(re.findall(r"\b(pm_\w+)\(", files["musl/pm.h"]))
        self.assertEqual(defined, declared)
        self.assertEqual(defined, {"pm_" + n for n in MUSL_FAMILY | {"valloc", "pvalloc", "free_sized",
                                                                     "free_aligned_sized"}})


if __name__ == "__main__":
    unittest.main()
