# SPDX-License-Identifier: MIT
"""linux.check_entries.*: `alloc8-gen --check-entries`, the build check that no entry of an
allocator calls back into the glue (docs/spec.md, "Where an allocator may get its memory").

Each case compiles allocators from tests/alloc/ (and the demo allocator) into a temporary
directory, several ways, and runs the generator's command line on the objects:
  Objects        the wrong allocator is refused with one line per wrong entry, however it is
                 compiled; correct ones (an mmap allocator whose entry.init allocates, the demo, an
                 allocator whose init allocates re-entrantly) pass; prefixed mode
  Exports        the names the check forbids are exactly the names the compiled glue exports
                 (per mode, for the glibc passthrough binding, with C++ and thread hooks)
  Limits         LTO objects and a missing objdump give one note and do not fail
  Aarch64        the same findings from aarch64 objects (objdump's output of another architecture)
  Musl           --platform musl: objects built with musl-gcc, musl's own list of allocating libc
                 functions (no stdio output, no __libc_* names), and the musl glue's exports
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ALLOC = os.path.join(REPO, "tests", "alloc")
DEMO = os.path.join(REPO, "examples", "demo_allocator")
GEN = os.path.join(REPO, "gen")
sys.path.insert(0, GEN)

from alloc8gen import entrycheck, exports  # noqa: E402
from alloc8gen.validate import load_spec  # noqa: E402

BAD_SPEC = os.path.join(ALLOC, "check_entries_bad.yaml")
BAD_SOURCE = os.path.join(ALLOC, "check_entries_bad.c")
GOOD_SPEC = os.path.join(ALLOC, "check_entries_good.yaml")
GOOD_SOURCE = os.path.join(ALLOC, "check_entries_good.c")
DEMO_SOURCES = sorted(os.path.join(DEMO, f) for f in os.listdir(DEMO) if f.endswith(".c"))

# What check_entries_bad.c must be refused for: (entry, symbol, callee, path shown).
BAD_FINDINGS = (
    ("malloc", "ce_malloc", "__libc_malloc", "ce_malloc -> ce_refill -> __libc_malloc"),
    ("free", "ce_free", "strdup", "ce_free -> strdup"),
    ("aligned", "ce_memalign", "__libc_memalign", "ce_memalign -> __libc_memalign"),
)
ADVICE = ('Get memory from mmap, from glibc\'s malloc through dlsym(RTLD_NEXT, "malloc"), or from a '
          "bootstrap area set up in entry.init.")
WARNINGS = ["-std=c11", "-Wall", "-Wextra", "-Werror"]


def tool(name):
    path = shutil.which(name)
    if path is None:
        raise AssertionError(f"FAIL: {name} not found (bash scripts/deps.sh installs it)")
    return path


def compile_c(cc, source, out_dir, flags=(), includes=()):
    obj = os.path.join(out_dir, os.path.basename(source) + ".o")
    argv = [tool(cc), *WARNINGS, "-fPIC", *flags, *(f"-I{d}" for d in includes), "-c", source, "-o", obj]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"FAIL: {' '.join(argv)}:\n{proc.stdout}")
    return obj


def check_entries(spec, objects, *extra, platform="linux"):
    """Run the CLI: (exit status, stdout, stderr lines)."""
    env = dict(os.environ, PYTHONPATH=GEN, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-m", "alloc8gen", spec, "--platform", platform, *extra,
                           "--check-entries", *objects],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    return proc.returncode, proc.stdout, proc.stderr.splitlines()


def write_spec(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class Case(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="alloc8-check-entries-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def subdir(self, name):
        path = os.path.join(self.tmp, re.sub(r"[^A-Za-z0-9_.-]+", "_", name))
        os.makedirs(path, exist_ok=True)
        return path

    def assert_refused(self, rc, out, err, findings, obj_name):
        self.assertEqual(rc, 2, "the check must fail with exit status 2:\n" + "\n".join(err))
        self.assertEqual(out, "")
        lines = [line for line in err if line.startswith("alloc8: entry.")]
        self.assertEqual(len(lines), len(findings), "one line per finding:\n" + "\n".join(err))
        for role, symbol, callee, path in findings:
            head = f"alloc8: entry.{role} ({symbol}) calls {callee} ({path}, in {obj_name}): "
            match = [line for line in lines if line.startswith(head)]
            self.assertEqual(len(match), 1, f"no line starting {head!r}:\n" + "\n".join(err))
            self.assertIn("so the call comes back into the allocator (a deadlock under its lock, or endless "
                          "recursion).", match[0])
        self.assertTrue(err[-1].startswith(f"alloc8: {len(findings)} call"), err[-1])
        self.assertIn("CHECK_ENTRIES RUNTIME", err[-1])
        self.assertEqual(len(err), len(findings) + 1, "\n".join(err))

    def assert_passed(self, rc, out, err):
        self.assertEqual((rc, out, err), (0, "", []))


class Objects(Case):
    VARIANTS = (
        ("gcc", ["-O0"]),
        ("gcc", ["-O2", "-g"]),
        ("gcc", ["-O3", "-ffunction-sections", "-fno-plt"]),
        ("clang", ["-O0", "-ffunction-sections"]),
        ("clang", ["-O2", "-g"]),
        ("clang", ["-O2", "-fno-plt"]),
    )

    def test_wrong_allocator_refused(self):
        for cc, flags in self.VARIANTS:
            with self.subTest(cc=cc, flags=flags):
                obj = compile_c(cc, BAD_SOURCE, self.subdir(cc + "".join(flags)), flags)
                rc, out, err = check_entries(BAD_SPEC, [obj])
                self.assert_refused(rc, out, err, BAD_FINDINGS, "check_entries_bad.c.o")
                for line in err[:-1]:
                    self.assertTrue(line.endswith(ADVICE), line)

    def test_tail_call_is_a_jump(self):
        """At -O2 ce_memalign reaches __libc_memalign by a jump, not a call: the case is real."""
        for cc in ("gcc", "clang"):
            with self.subTest(cc=cc):
                obj = compile_c(cc, BAD_SOURCE, self.subdir(cc), ["-O2"])
                text = subprocess.run([tool("objdump"), "-dr", "--no-show-raw-insn", obj],
                                      stdout=subprocess.PIPE, text=True, check=True).stdout
                (function,) = [f for o in entrycheck.parse(text) for f in o.functions if f.name == "ce_memalign"]
                (offset,) = [off for off, _, target in function.relocs if target.startswith("__libc_memalign")]
                (insn,) = [t for a, t in reversed(function.insns) if a < offset][:1]
                self.assertTrue(insn.startswith("jmp"), f"not a tail call: {insn}")

    def test_mmap_allocator_passes(self):
        """check_entries_good.c: mmap only; its entry.init calls strdup, which the bootstrap area serves."""
        for cc, flags in (("gcc", ["-O2"]), ("clang", ["-O0"])):
            with self.subTest(cc=cc, flags=flags):
                obj = compile_c(cc, GOOD_SOURCE, self.subdir(cc), flags)
                self.assert_passed(*check_entries(GOOD_SPEC, [obj]))

    def test_init_code_checked_under_another_role(self):
        """Only entry.init is exempt: the same function bound to lock and unlock is refused."""
        obj = compile_c("gcc", GOOD_SOURCE, self.subdir("gcc"), ["-O2"])
        with open(GOOD_SPEC, encoding="utf-8") as f:
            text = f.read()
        spec = write_spec(self.tmp, "init_as_lock.yaml", text + "  lock: cg_init\n  unlock: cg_init\n")
        rc, out, err = check_entries(spec, [obj])
        self.assert_refused(rc, out, err, (("lock", "cg_init", "strdup", "cg_init -> strdup"),
                                           ("unlock", "cg_init", "strdup", "cg_init -> strdup")),
                            "check_entries_good.c.o")

    def test_demo_allocator_passes(self):
        """The demo allocator under its own spec, and behind late_init.yaml, whose entry.init calls
        malloc, calloc, strdup, aligned_alloc and dlsym."""
        out_dir = self.subdir("demo")
        objects = [compile_c("gcc", s, out_dir, ["-O2", "-g"], [DEMO]) for s in DEMO_SOURCES]
        self.assert_passed(*check_entries(os.path.join(REPO, "spec", "allocator.yaml"), objects))
        late = compile_c("gcc", os.path.join(ALLOC, "late_init_alloc.c"), out_dir, ["-O2"], [DEMO])
        self.assert_passed(*check_entries(os.path.join(REPO, "tests", "specs", "build", "late_init.yaml"),
                                          objects + [late]))

    def test_prefixed_mode(self):
        """In prefixed mode malloc, __libc_malloc and strdup are glibc's: only the prefixed names
        come back into the allocator."""
        obj = compile_c("gcc", BAD_SOURCE, self.subdir("gcc"), ["-O2"])
        with open(BAD_SPEC, encoding="utf-8") as f:
            text = f.read().replace("name: check_entries_bad\n", "name: check_entries_bad\nmode: prefixed\nprefix: pf_\n")
        self.assert_passed(*check_entries(write_spec(self.tmp, "prefixed.yaml", text), [obj]))
        caller = os.path.join(self.tmp, "calls_prefixed.c")
        with open(caller, "w", encoding="utf-8") as f:
            f.write("#include <stddef.h>\nvoid *pf_calloc(size_t count, size_t size);\n"
                    "void *ce_alloc(size_t size) { return pf_calloc(1, size); }\n")
        other = compile_c("gcc", caller, self.subdir("prefixed"), ["-O2"])
        spec = write_spec(self.tmp, "prefixed2.yaml", text.replace("malloc: ce_malloc", "malloc: ce_alloc"))
        rc, out, err = check_entries(spec, [obj, other])
        self.assert_refused(rc, out, err, (("malloc", "ce_alloc", "pf_calloc", "ce_alloc -> pf_calloc"),),
                            "calls_prefixed.c.o")


class Exports(Case):
    """The forbidden names are the glue's own exports: compile the generated glue and compare."""

    SPECS = (
        os.path.join(REPO, "spec", "allocator.yaml"),                      # C++, threads, lock
        os.path.join(REPO, "bindings", "glibc.yaml"),                      # glibc serves, kept aliases
        os.path.join(REPO, "tests", "specs", "build", "prefixed.yaml"),    # prefixed mode
        os.path.join(REPO, "tests", "specs", "build", "late_init.yaml"),   # init, owns
        BAD_SPEC,
    )
    SYMBOL = re.compile(r"^[0-9a-f]+ g.{6} (\S+)\s+[0-9a-f]+\s+(.*)$")

    def exported(self, spec_path, platform="linux", cc="gcc"):
        out = self.subdir(platform + "-" + os.path.basename(spec_path))
        env = dict(os.environ, PYTHONPATH=GEN, PYTHONDONTWRITEBYTECODE="1")
        subprocess.run([sys.executable, "-m", "alloc8gen", spec_path, "--platform", platform, "--out", out],
                       env=env, check=True)
        glue = os.path.join(out, platform)
        names = set()
        for source in sorted(os.listdir(glue)):
            if source.endswith(".c"):
                obj = compile_c(cc, os.path.join(glue, source), glue, ["-O1", "-fvisibility=hidden"], [glue])
                table = subprocess.run([tool("objdump"), "-t", obj], stdout=subprocess.PIPE, text=True,
                                       check=True).stdout
                for line in table.splitlines():
                    m = self.SYMBOL.match(line)
                    if m and m.group(1) != "*UND*" and not m.group(2).startswith("."):
                        names.add(m.group(2))
        return names

    def test_forbidden_names_are_the_exports(self):
        for spec_path in self.SPECS:
            with self.subTest(spec=os.path.basename(spec_path)):
                spec = load_spec(spec_path)
                exported = self.exported(spec_path)
                listed = entrycheck.glue_exports(spec)
                forbidden = entrycheck.forbidden_callees(spec)
                # every name the compiled glue exports is forbidden (as an export, or as a libc function
                # that allocates, which the glue may wrap), but the thread hooks' counts and the
                # created_flag's reader for the kit, which only read
                kit = {"alloc8_thread_hook_counts", "alloc8_thread_created_flag"}
                self.assertEqual(exported - set(forbidden) - kit, set())
                # and every export listed is defined (operator new for a 32-bit size_t aside)
                ilp32 = {op.mangled("j") for op in exports.CXX_OPERATORS}
                self.assertEqual(listed - exported - ilp32, set())
                if spec.glibc_serves:
                    for name in ("__libc_malloc", "__libc_memalign", "malloc_usable_size", "mallopt"):
                        self.assertNotIn(name, forbidden)
                    self.assertIn("malloc", forbidden)
                if spec.mode == "prefixed":
                    self.assertEqual(set(forbidden), listed)
                    self.assertNotIn("malloc", forbidden)
                    self.assertIn(spec.prefix + "malloc", forbidden)


class Musl(Exports):
    """--platform musl (alloc8_add_interposer ... PLATFORM musl): musl's own list of the libc
    functions that allocate through a replaced malloc, and the musl glue's exports."""

    def test_wrong_allocator_refused(self):
        """check_entries_bad.c built with musl-gcc: strdup is refused as on glibc; __libc_malloc and
        __libc_memalign are musl's own hidden functions, not the glue's, so they are not."""
        obj = compile_c("musl-gcc", BAD_SOURCE, self.subdir("musl"), ["-O2"])
        rc, out, err = check_entries(BAD_SPEC, [obj], platform="musl")
        self.assert_refused(rc, out, err, (("free", "ce_free", "strdup", "ce_free -> strdup"),),
                            "check_entries_bad.c.o")
        self.assertTrue(err[0].endswith("Get memory from mmap, or from a bootstrap area set up in entry.init."),
                        err[0])
        rc, out, err = check_entries(BAD_SPEC, [obj])  # the same objects against the glibc glue
        self.assert_refused(rc, out, err, BAD_FINDINGS, "check_entries_bad.c.o")

    def test_stdio_output_allowed_on_musl(self):
        """printf, puts and qsort allocate nothing on musl (on glibc they may); fopen does on both."""
        source = os.path.join(self.tmp, "stdio_entries.c")
        with open(source, "w", encoding="utf-8") as f:
            f.write("#include <stdio.h>\n#include <stdlib.h>\n#include <sys/mman.h>\n"
                    "static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }\n"
                    "void *st_malloc(size_t size) {\n    int v[3] = {3, 1, 2};\n    qsort(v, 3, sizeof v[0], cmp);\n"
                    "    printf(\"malloc(%zu)\\n\", size);\n    puts(\"mapped\");\n"
                    "    void *p = mmap(0, size + 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);\n"
                    "    return p == MAP_FAILED ? NULL : p;\n}\n"
                    "void st_free(void *ptr) { (void)ptr; }\nsize_t st_usable_size(void *ptr) { (void)ptr; return 0; }\n"
                    "void *st_memalign(size_t alignment, size_t size) {\n"
                    "    FILE *log = fopen(\"/dev/null\", \"w\");\n    if (log) fclose(log);\n"
                    "    return st_malloc(alignment + size);\n}\n")
        obj = compile_c("musl-gcc", source, self.subdir("stdio"), ["-O2"])
        spec = write_spec(self.tmp, "stdio.yaml", "name: st\nplatforms: [linux, musl]\nentry:\n  malloc: st_malloc\n"
                          "  free: st_free\n  usable_size: st_usable_size\n  aligned: st_memalign\n")
        rc, out, err = check_entries(spec, [obj], platform="musl")
        self.assert_refused(rc, out, err, (("aligned", "st_memalign", "fopen", "st_memalign -> fopen"),),
                            "stdio_entries.c.o")
        rc, out, err = check_entries(spec, [obj])
        self.assertEqual(rc, 2)
        self.assertTrue(any("calls printf" in line for line in err), "\n".join(err))
        self.assertTrue(any("calls qsort" in line for line in err), "\n".join(err))

    def test_forbidden_names_are_the_exports(self):
        """The musl glue, compiled with musl-gcc: what it exports is what the check forbids."""
        specs = (os.path.join(REPO, "spec", "allocator.yaml"),                    # interpose, C++, threads, lock
                 os.path.join(REPO, "tests", "specs", "build", "prefixed.yaml"))  # prefixed mode
        for spec_path in specs:
            with self.subTest(spec=os.path.basename(spec_path)):
                spec = load_spec(spec_path)
                exported = self.exported(spec_path, "musl", "musl-gcc")
                listed = entrycheck.glue_exports(spec, "musl")
                forbidden = entrycheck.forbidden_callees(spec, "musl")
                kit = {"alloc8_thread_hook_counts", "alloc8_thread_created_flag"}
                self.assertEqual(exported - set(forbidden) - kit, set())
                ilp32 = {op.mangled("j") for op in exports.CXX_OPERATORS}
                self.assertEqual(listed - exported - ilp32, set())
                for name in ("__libc_malloc", "valloc", "mallopt", "__register_atfork", "printf"):
                    self.assertNotIn(name, forbidden)
                if spec.mode == "interpose":
                    self.assertIn("pthread_atfork", forbidden)
                    self.assertIn("strdup", forbidden)


class Limits(Case):
    def test_lto_objects_noted(self):
        for cc, flags in (("gcc", ["-O2", "-flto"]), ("clang", ["-O2", "-flto"])):
            with self.subTest(cc=cc):
                obj = compile_c(cc, BAD_SOURCE, self.subdir(cc), flags)
                rc, out, err = check_entries(BAD_SPEC, [obj])
                self.assertEqual((rc, out, len(err)), (0, "", 1), err)
                self.assertRegex(err[0], r"^alloc8: note: check_entries_bad\.c\.o holds no machine code \(LTO\)")

    def test_fat_lto_objects_checked(self):
        obj = compile_c("gcc", BAD_SOURCE, self.subdir("fat"), ["-O2", "-flto", "-ffat-lto-objects"])
        self.assert_refused(*check_entries(BAD_SPEC, [obj]), BAD_FINDINGS, "check_entries_bad.c.o")

    def test_objdump_missing(self):
        obj = compile_c("gcc", BAD_SOURCE, self.subdir("gcc"), ["-O2"])
        rc, out, err = check_entries(BAD_SPEC, [obj], "--objdump", os.path.join(self.tmp, "no-objdump"))
        self.assertEqual((rc, out, len(err)), (0, "", 1), err)
        self.assertRegex(err[0], r"^alloc8: note: .*no-objdump was not found .*binutils")

    def test_unreadable_object_noted(self):
        obj = compile_c("gcc", BAD_SOURCE, self.subdir("gcc"), ["-O2"])
        junk = write_spec(self.tmp, "junk.o", "not an object file\n")
        rc, out, err = check_entries(BAD_SPEC, [junk, obj])
        self.assertRegex(err[0], r"^alloc8: note: .* could not read junk\.o")
        self.assert_refused(rc, out, err[1:], BAD_FINDINGS, "check_entries_bad.c.o")

    def test_no_traceback_on_bad_arguments(self):
        rc, out, err = check_entries(BAD_SPEC, [os.path.join(self.tmp, "missing.o")])
        self.assertEqual((rc, out, len(err)), (2, "", 1), err)
        self.assertIn("missing.o", err[0])


class Aarch64(Case):
    """objdump's output for another architecture: aarch64 objects from clang, read with GNU
    binutils' aarch64 objdump (and llvm-objdump when it is installed)."""

    def test_aarch64(self):
        readers = [t for t in ("aarch64-linux-gnu-objdump", "llvm-objdump") if shutil.which(t)]
        if "aarch64-linux-gnu-objdump" not in readers:
            self.skipTest("SKIP: aarch64-linux-gnu-objdump not found (Debian: binutils-aarch64-linux-gnu, "
                          "which bash scripts/deps.sh installs)")
        for flags in (["-O0"], ["-O2"], ["-O1", "-ffunction-sections"]):
            obj = compile_c("clang", BAD_SOURCE, self.subdir("".join(flags)),
                            ["--target=aarch64-linux-gnu", "-ffreestanding", *flags])
            for reader in readers:
                with self.subTest(flags=flags, objdump=reader):
                    self.assert_refused(*check_entries(BAD_SPEC, [obj], "--objdump", reader), BAD_FINDINGS,
                                        "check_entries_bad.c.o")


if __name__ == "__main__":
    unittest.main()
