# SPDX-License-Identifier: MIT
"""The generator's model, outputs and CLI behaviour (see docs/spec.md and `alloc8-gen --help`)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

from support import GEN, REFERENCE_SPEC, REPO, run_cli, run_main

from alloc8gen import __version__, exports, render
from alloc8gen.validate import load_spec

MINIMAL = """\
name: mini
entry:
  malloc: my_malloc
  free: my_free
  usable_size: my_usable_size
  aligned: {symbol: mi_malloc_aligned, args: [size, alignment]}
"""


class Generator(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def write(self, text, name="spec.yaml"):
        path = self.tmp / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def files(self, spec_text):
        return dict(render.render(load_spec(str(self.write(spec_text))), "linux"))

    def test_defaults(self):
        spec = load_spec(str(self.write(MINIMAL)))
        self.assertEqual((spec.mode, spec.platforms, spec.cxx, spec.bootstrap_size), ("interpose", ("linux",), True, 65536))
        self.assertEqual((spec.guarantees.alignment, spec.guarantees.sets_errno, spec.guarantees.free_preserves_errno), (16, False, False))
        prefixed = load_spec(str(self.write(MINIMAL + "mode: prefixed\nprefix: mini_\n", "p.yaml")))
        self.assertFalse(prefixed.cxx)

    def test_argument_order(self):
        entry = load_spec(str(self.write(MINIMAL))).entries["aligned"]
        self.assertEqual(entry.decl, "void *mi_malloc_aligned(size_t size, size_t alignment)")
        self.assertEqual(entry.call, "mi_malloc_aligned(size, alignment)")
        glue = self.files(MINIMAL)["linux/mini_glue.h"]
        self.assertIn("void *mi_malloc_aligned(size_t size, size_t alignment);", glue)
        self.assertIn("alloc8_entry_aligned(size_t alignment, size_t size) {\n    return mi_malloc_aligned(size, alignment);\n}", glue)

    def test_constant_and_derived_arguments(self):
        text = textwrap.dedent("""\
            name: je
            entry:
              malloc: {symbol: mallocx, args: [size, 0]}
              free: {symbol: dallocx, args: [ptr, 0]}
              usable_size: {symbol: sallocx, args: [ptr, -1]}
              aligned: {symbol: mallocx, args: [size, lg_alignment]}
              calloc: {symbol: mallocx, args: [total, 64]}
            guarantees: {accepts_zero_size: false}
            """)
        glue = self.files(text)["linux/je_glue.h"]
        self.assertEqual(glue.count("void *mallocx("), 1, "one declaration per symbol")
        self.assertIn("void *mallocx(size_t size, int arg1);", glue)
        self.assertIn("return mallocx(size, 0);\n}", glue)
        self.assertIn("return sallocx(ptr, -1);\n}", glue)
        self.assertIn("return mallocx(size, (int)__builtin_ctzll(alignment));\n}", glue)
        self.assertIn("return mallocx(count * size, 64);\n}", glue)
        self.assertIn("size += size == 0;", glue)

    def test_typed_constants_and_const_pointer(self):
        text = textwrap.dedent("""\
            name: ty
            entry:
              malloc: {symbol: t_malloc, args: [{unsigned: 4294967295}, size]}
              free: t_free
              usable_size: {symbol: t_usable_size, args: [const_ptr]}
              aligned: {symbol: t_aligned_at, args: [size, alignment, {size_t: 0}, {int: -3}]}
            """)
        glue = self.files(text)["linux/ty_glue.h"]
        self.assertIn("void *t_malloc(unsigned int arg0, size_t size);", glue)
        self.assertIn("return t_malloc(4294967295u, size);\n}", glue)
        self.assertIn("size_t t_usable_size(const void *const_ptr);", glue)
        self.assertIn("return t_usable_size(ptr);\n}", glue)
        self.assertIn("void *t_aligned_at(size_t size, size_t alignment, size_t arg2, int arg3);", glue)
        self.assertIn("return t_aligned_at(size, alignment, (size_t)0u, -3);\n}", glue)

    def test_entries_left_to_glibc(self):
        text = MINIMAL.replace("my_malloc", "__libc_malloc").replace("my_usable_size", "malloc_usable_size")
        spec = load_spec(str(self.write(text)))
        self.assertEqual(spec.kept, {"__libc_malloc", "malloc_usable_size"})
        source = self.files(text)["linux/mini_malloc.c"]
        self.assertNotIn("__typeof__(malloc) __libc_malloc", source)
        self.assertIn("__typeof__(free) __libc_free", source)
        self.assertNotIn("size_t malloc_usable_size(void *ptr) {", source)
        self.assertIn("void *malloc(size_t size) {", source)

    def test_outputs_per_spec(self):
        self.assertEqual(sorted(self.files(MINIMAL)),
                         ["linux/mini_cxx.c", "linux/mini_dlopen.c", "linux/mini_glue.h", "linux/mini_malloc.c"])
        no_cxx = self.files(MINIMAL + "cxx: false\n")
        self.assertNotIn("linux/mini_cxx.c", no_cxx)
        with_init = self.files(MINIMAL.replace("entry:\n", "entry:\n  init: my_init\n"))
        self.assertIn("linux/mini_bootstrap.c", with_init)
        prefixed = self.files(MINIMAL + "mode: prefixed\nprefix: mini_\n")
        self.assertIn("linux/mini.h", prefixed)
        self.assertNotIn("linux/mini_dlopen.c", prefixed)  # a prefixed library leaves dlopen alone
        self.assertIn("void *mini_malloc(size_t size)", prefixed["linux/mini_malloc.c"])
        self.assertNotIn("__libc_malloc", prefixed["linux/mini_malloc.c"])

    def test_optional_entries_are_used(self):
        text = MINIMAL + "  realloc: my_realloc\n  calloc: my_calloc\n  free_sized: my_free_sized\n"
        glue = self.files(text)["linux/mini_glue.h"]
        for call in ("my_realloc(ptr, size)", "my_calloc(count, size)", "my_free_sized(ptr, size)"):
            self.assertIn(call, glue)
        derived = self.files(MINIMAL)["linux/mini_glue.h"]
        self.assertNotIn("entry_realloc", derived)
        self.assertIn("__builtin_mul_overflow", derived)  # derived calloc checks overflow

    def test_all_cxx_operators(self):
        cxx = self.files(MINIMAL)["linux/mini_cxx.c"]
        for op in exports.CXX_OPERATORS:
            mangled = op.mangled('" ALLOC8_CXX_SIZE "')
            self.assertIn(f'"{mangled}"', cxx, op.signature)
        self.assertEqual(cxx.count("__asm__(ALLOC8_CXX_NAME("), 20)
        # the C++ runtime's functions are looked up when an allocation fails, not bound at load
        self.assertNotIn("weak", cxx)
        self.assertIn('"_ZSt15get_new_handlerv"', cxx)
        self.assertIn('"_ZSt17__throw_bad_allocv"', cxx)

    def test_deterministic_and_header(self):
        a = self.files(MINIMAL)
        other = self.tmp / "elsewhere" / "deeper"
        other.mkdir(parents=True)
        b = dict(render.render(load_spec(str(self.write(MINIMAL, "elsewhere/deeper/spec.yaml"))), "linux"))
        self.assertEqual(a, b)
        for text in a.values():
            self.assertIn(f"alloc8-gen {__version__} from spec.yaml (sha256 ", text)
            self.assertNotRegex(text, r"\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d")

    def test_check_and_list_outputs(self):
        out = self.tmp / "out"
        listed = run_main(REFERENCE_SPEC, "--out", out, "--list-outputs")
        self.assertEqual(listed.returncode, 0)
        paths = listed.stdout.split()
        self.assertIn(str(out / "linux" / "alloc8demo_malloc.c"), paths)
        missing = run_main(REFERENCE_SPEC, "--out", out, "--check")
        self.assertEqual(missing.returncode, 1)
        self.assertEqual(len(re.findall(r"^missing: ", missing.stdout, re.M)), len(paths))
        self.assertEqual(run_main(REFERENCE_SPEC, "--out", out).returncode, 0)
        self.assertEqual(sorted(str(p) for p in out.rglob("*") if p.is_file()), sorted(paths))
        self.assertEqual(run_main(REFERENCE_SPEC, "--out", out, "--check").returncode, 0)
        (out / "linux" / "alloc8demo_malloc.c").write_text("edited", encoding="utf-8")
        (out / "linux" / "alloc8demo_cxx.c").unlink()
        stale = run_main(REFERENCE_SPEC, "--out", out, "--check")
        self.assertEqual(stale.returncode, 1)
        self.assertIn(f"stale: {out / 'linux' / 'alloc8demo_malloc.c'}", stale.stdout)
        self.assertIn(f"missing: {out / 'linux' / 'alloc8demo_cxx.c'}", stale.stdout)

    def test_help_and_platforms(self):
        helped = run_main("--help")
        self.assertEqual(helped.returncode, 0)
        self.assertIn("examples:", helped.stdout)
        spec = self.write(MINIMAL + "  owns: my_owns\nplatforms: [linux, macos]\n")
        macos = run_main(spec, "--platform", "macos", "--list-outputs", "--out", "o")
        self.assertEqual(macos.returncode, 0, macos.stderr)
        self.assertEqual(sorted(macos.stdout.split()), [f"o/macos/mini_{f}" for f in
                                                        ("cxx.c", "glue.h", "macos.h", "malloc.c", "zone.c")])
        windows = run_main(spec, "--platform", "windows", "--list-outputs")
        self.assertEqual(windows.returncode, 2)
        self.assertIn("does not list platform 'windows'", windows.stderr)
        both = run_main(spec, "--list-outputs", "--out", self.tmp)
        self.assertEqual(both.returncode, 0)
        self.assertEqual(both.stderr, "")
        self.assertEqual({p.split("/")[-2] for p in both.stdout.split()}, {"linux", "macos"})

    def test_real_command(self):
        """The other tests run the CLI in this process (run_main, no interpreter start-up); the
        real `python -m alloc8gen` must answer the same: help (0), missing outputs (1), a
        platform the spec does not list (2)."""
        helped = run_cli("--help")  # its line breaks follow the terminal's width: not compared
        self.assertEqual(helped.returncode, 0)
        self.assertIn("examples:", helped.stdout)
        spec = self.write(MINIMAL)
        for args, status in (((spec, "--out", self.tmp / "out", "--check"), 1),
                             ((spec, "--platform", "windows", "--list-outputs"), 2)):
            with self.subTest(args=args):
                real, here = run_cli(*args), run_main(*args)
                self.assertEqual(real.returncode, status, real.stderr)
                self.assertEqual((real.returncode, real.stdout, real.stderr), (here.returncode, here.stdout, here.stderr))

    def test_python_without_dependencies(self):
        """A Python that cannot import jinja2 and yaml (here: site-packages switched off with -S)
        gets one line and exit status 4, never a traceback; bin/alloc8-gen then tries its next
        interpreter, quietly, and generates as usual."""
        bare = subprocess.run([sys.executable, "-S", "-m", "alloc8gen", "--help"], capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=str(GEN)))
        self.assertEqual(bare.returncode, 4, bare.stderr)
        self.assertRegex(bare.stderr, r"^alloc8-gen: this Python \(.*\) cannot import (jinja2|yaml)\. On Debian")
        self.assertNotIn("Traceback", bare.stderr)
        self.assertEqual(len(bare.stderr.splitlines()), 1)
        no_site = self.tmp / "python-without-site"
        no_site.write_text(f"#!/bin/sh\nexec {sys.executable} -S \"$@\"\n")
        no_site.chmod(0o755)
        spec = self.write(MINIMAL)
        wrapped = subprocess.run(["bash", str(REPO / "bin" / "alloc8-gen"), str(spec), "--out", str(self.tmp / "w")],
                                 capture_output=True, text=True, env=dict(os.environ, ALLOC8_PYTHON=str(no_site)))
        self.assertEqual((wrapped.returncode, wrapped.stderr), (0, ""))
        self.assertTrue(any((self.tmp / "w").rglob("*_malloc.c")))

    def test_heap_outputs_and_heap_only_specs(self):
        spec = self.write(MINIMAL + "threads:\n  init: t_init\nheap:\n  name: jank_heap\n  cxx_header: true\n")
        result = run_main(spec, "--list-outputs", "--out", "o")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        for f in ("mini_malloc.c", "mini_threads.c", "jank_heap.h", "jank_heap.c", "jank_heap.hpp"):
            self.assertIn(f"o/linux/{f}", result.stdout.split())
        heap_only = self.write("name: rt\nheap:\n  name: rt_heap\n  fallback: system\n")
        listed = run_main(heap_only, "--list-outputs", "--out", "o")
        self.assertEqual(listed.stdout.split(), ["o/linux/rt_heap.h", "o/linux/rt_heap.c"])
        facts = run_main(heap_only, "--describe").stdout.split()
        self.assertIn("glue=0", facts)
        self.assertIn("heap=rt_heap", facts)
        self.assertIn("heap_fallback=system", facts)

    def test_heap_dispatch_code(self):
        files = self.files("name: rt\nheap:\n  name: h\n  on_exhaustion: null\n  alignment: 64\n")
        code = files["linux/h.c"]
        self.assertIn("#define H_ALIGNMENT 64", files["linux/h.h"])
        self.assertIn("GC_memalign(H_ALIGNMENT, size)", code)  # above the GC's granule
        self.assertNotIn("abort()", code)  # on_exhaustion: null
        # deallocate asks the owner (current allocator, then the registry) before the fallback
        body = code[code.index("void h_deallocate("):]
        self.assertLess(body.index("alloc8_owns(owner, p)"), body.index("alloc8_owner(p)"))
        self.assertLess(body.index("alloc8_owner(p)"), body.index("h_fallback_free(p)"))
        self.assertNotIn("GC_malloc", self.files("name: rt\nheap:\n  name: h\n  fallback: system\n")["linux/h.c"])

    def test_thread_hooks_per_activation(self):
        hooks = "threads:\n  init: t_init\n  cleanup: t_done\n  created_flag: t_flag\n"
        runtime = self.files(MINIMAL + hooks)
        glue, threads = runtime["linux/mini_glue.h"], runtime["linux/mini_threads.c"]
        self.assertIn("#define ALLOC8_THREAD_HOOKS 1", glue)
        self.assertIn("void t_init(void) __attribute__((weak));", glue)
        self.assertIn("extern _Atomic int t_flag __attribute__((weak));", glue)
        self.assertIn("ALLOC8_EXPORT int ALLOC8_PTHREAD_CREATE(", threads)
        self.assertIn("ALLOC8_EXPORT int ALLOC8_THRD_CREATE(", threads)
        self.assertIn("#define ALLOC8_PTHREAD_CREATE pthread_create", threads)
        # created_flag is set on thread creation whether or not the hooks are present
        wrapper = threads[threads.index("ALLOC8_EXPORT int ALLOC8_PTHREAD_CREATE("):]
        self.assertLess(wrapper.index("alloc8_mark_threaded();"), wrapper.index("alloc8_hooks_present()"))
        code = re.sub(r"/\*.*?\*/", "", threads, flags=re.S)
        self.assertNotIn("__pthread_", code)  # glibc 2.34+ exports none of these
        # in every core operation, each call into the allocator comes after the thread check
        full = MINIMAL + "  calloc: my_calloc\n  realloc: my_realloc\n  free_sized: my_free_sized\n" + hooks
        bodies = re.findall(r"static inline [^{;]*alloc8_(?:core|free_block)\w*\([^)]*\) \{\n(.*?)\n\}",
                            self.files(full)["linux/mini_glue.h"], flags=re.S)
        calls = 0
        for body in bodies:
            for m in re.finditer(r"alloc8_entry_(malloc|aligned|calloc|realloc|free\w*)\(", body):
                calls += 1
                self.assertIn("alloc8_thread_enter();", body[:m.start()], body)
        self.assertGreaterEqual(calls, 6)
        library = self.files(MINIMAL + hooks + "  activation: library\n")["linux/mini_glue.h"]
        self.assertIn("#define ALLOC8_THREAD_HOOKS 0", library)
        self.assertIn("void t_init(void);", library)
        off = self.files(MINIMAL + hooks + "  activation: build\n  enabled: false\n")["linux/mini_glue.h"]
        self.assertIn("#define ALLOC8_THREAD_HOOKS 0", off)
        on = self.files(MINIMAL + hooks + "  activation: build\n")["linux/mini_glue.h"]
        self.assertIn("#define ALLOC8_THREAD_HOOKS 1", on)
        # without threads: alloc8_thread_enter is an empty inline function, and no thread state
        plain = self.files(MINIMAL)["linux/mini_glue.h"]
        self.assertEqual(plain.count("alloc8_thread_enter(void)"), 1)
        self.assertIn("static inline void alloc8_thread_enter(void) {}", plain)
        self.assertNotIn("ALLOC8_THREAD", plain)

    def describe(self, *args):
        """`alloc8-gen ARGS --describe`: ({key: value}, [(tags, path)]), checking it succeeded."""
        result = run_main(*args, "--describe")
        self.assertEqual((result.returncode, result.stderr), (0, ""))
        facts, outputs = {}, []
        for line in result.stdout.splitlines():
            key, value = line.split("=", 1)
            if key == "output":
                tags, path = value.split(" ", 1)
                outputs.append((tags, path))
            else:
                self.assertNotIn(key, facts)
                facts[key] = value
        return facts, outputs

    def test_describe(self):
        spec = self.write(MINIMAL + "threads:\n  cleanup: t_done\n  activation: library\n")
        facts, _ = self.describe(spec)
        # every key is read by cmake/alloc8.cmake or a test script; the output= lines follow them
        self.assertEqual(list(facts), ["platforms", "glue", "mode", "threads", "heap", "heap_fallback", "library",
                                       "static_wraps", "self_wraps"])
        self.assertEqual((facts["platforms"], facts["glue"], facts["mode"], facts["threads"]),
                         ("linux", "1", "interpose", "library"))
        self.assertEqual(self.describe(self.write(MINIMAL + "mode: prefixed\nprefix: mini_\n", "m.yaml"))[0]["mode"],
                         "prefixed")
        self.assertEqual(self.describe(self.write(MINIMAL, "n.yaml"))[0]["threads"], "none")
        listed = self.describe(self.write(MINIMAL + "  owns: my_owns\nplatforms: [macos, linux]\n", "p.yaml"))[0]
        self.assertEqual(listed["platforms"], "macos,linux")

    def test_describe_outputs(self):
        """One --describe answers what --list-outputs does, each file tagged by the template that
        writes it: cmake/alloc8.cmake builds by the tags, never by file names."""
        spec = self.write(MINIMAL + "  owns: my_owns\nplatforms: [linux, windows, macos]\nthreads:\n  init: t_init\n"
                          "heap:\n  name: jank_heap\n  cxx_header: true\n")
        for platform in ("linux", "windows", "macos", "all"):
            with self.subTest(platform=platform):
                args = (spec, "--platform", platform, "--out", self.tmp / "o")
                _, outputs = self.describe(*args)
                self.assertEqual([path for _, path in outputs], run_main(*args, "--list-outputs").stdout.split())
        _, outputs = self.describe(spec, "--out", "o")
        tags = {path: tags for tags, path in outputs}
        for platform in ("linux", "macos"):
            self.assertEqual(tags[f"o/{platform}/mini_malloc.c"], "glue")
            self.assertEqual(tags[f"o/{platform}/mini_glue.h"], "glue")
            self.assertEqual(tags[f"o/{platform}/mini_cxx.c"], "glue,cxx,exceptions")
            self.assertEqual(tags[f"o/{platform}/mini_threads.c"], "glue,threads,exceptions")
        # Windows: operator new is the C runtime's, and nothing unwinds through the thread hooks
        self.assertEqual(tags["o/windows/mini_threads.c"], "glue,threads")
        self.assertNotIn("o/windows/mini_cxx.c", tags)
        for platform in ("linux", "windows", "macos"):
            for f in ("jank_heap.h", "jank_heap.c", "jank_heap.hpp"):
                self.assertEqual(tags[f"o/{platform}/{f}"], "heap")
        # with cxx: false and no threads nothing needs -fexceptions
        plain = self.write(MINIMAL + "cxx: false\n", "plain.yaml")
        self.assertEqual({t for t, _ in self.describe(plain)[1]}, {"glue"})
        # a heap-only spec: heap files alone
        heap_only = self.write("name: rt\nheap:\n  name: rt_heap\n", "rt.yaml")
        facts, outputs = self.describe(heap_only, "--out", "o")
        self.assertEqual(facts["glue"], "0")
        self.assertEqual(outputs, [("heap", "o/linux/rt_heap.h"), ("heap", "o/linux/rt_heap.c")])
        # a path is the rest of the line, spaces included
        _, spaced = self.describe(heap_only, "--out", "my out")
        self.assertEqual([p for _, p in spaced], ["my out/linux/rt_heap.h", "my out/linux/rt_heap.c"])

    def test_describe_refuses_like_the_other_modes(self):
        spec = self.write(MINIMAL)
        for args in ((spec, "--platform", "windows", "--describe"), (self.tmp / "absent.yaml", "--describe")):
            with self.subTest(args=args):
                result = run_main(*args)
                self.assertEqual((result.returncode, result.stdout), (2, ""))
                self.assertNotIn("Traceback", result.stderr)


if __name__ == "__main__":
    unittest.main()
