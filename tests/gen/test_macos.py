# SPDX-License-Identifier: MIT
"""The macOS glue: the malloc zone is filled for the version it claims, the interpose table is
complete, and nothing uses a C11 thread-local (docs/platforms.md, macOS).

The version table is libmalloc's (include/malloc/malloc.h, libmalloc-792.1.1: "Version 5:
malloc_zone_t::memalign", ...); the field order is checked against the declarations in
tests/platform/macos/malloc/malloc.h that the compile check (macos.compile) uses.
"""
import re
import shutil
import tempfile
import textwrap
import unittest
from pathlib import Path

from support import REFERENCE_SPEC, REPO

from alloc8gen import exports, render
from alloc8gen.validate import load_spec

# (field, version it appears in); 0: in every version. Fields libmalloc lets a zone leave NULL
# whatever its version are in MAY_BE_NULL.
ZONE_FIELDS = (
    ("reserved1", 0), ("reserved2", 0), ("size", 0), ("malloc", 0), ("calloc", 0), ("valloc", 0),
    ("free", 0), ("realloc", 0), ("destroy", 0), ("zone_name", 0), ("batch_malloc", 0),
    ("batch_free", 0), ("introspect", 0), ("version", 0), ("memalign", 5), ("free_definite_size", 6),
    ("pressure_relief", 8), ("claimed_address", 10), ("try_free_default", 13),
    ("malloc_with_options", 15), ("malloc_type_malloc", 16), ("malloc_type_calloc", 16),
    ("malloc_type_realloc", 16), ("malloc_type_memalign", 16), ("malloc_type_malloc_with_options", 16),
)
INTROSPECTION_FIELDS = (
    ("enumerator", 0), ("good_size", 0), ("check", 0), ("print", 0), ("log", 0), ("force_lock", 0),
    ("force_unlock", 0), ("statistics", 0), ("zone_locked", 0), ("enable_discharge_checking", 7),
    ("disable_discharge_checking", 7), ("discharge", 7), ("enumerate_discharged_pointers", 7),
    ("reinit_lock", 9), ("print_task", 11), ("task_statistics", 12), ("zone_type", 14),
)
# CFAllocator's words; a block-typed field (discharge checking is answered "unsupported");
# libmalloc's own protocol for its zone 0 (version 13 "libmalloc only, NULL otherwise");
# optional fields of versions 15 and 16.
MAY_BE_NULL = {"reserved1", "reserved2", "enumerate_discharged_pointers", "try_free_default",
               "malloc_with_options", "malloc_type_malloc_with_options"}
HEADER = REPO / "tests" / "platform" / "macos" / "malloc" / "malloc.h"
# What the issue asks to interpose, besides the C++ operators.
INTERPOSED = ("malloc", "calloc", "realloc", "free", "valloc", "posix_memalign", "aligned_alloc",
              "malloc_size", "malloc_good_size", "reallocf", "vfree")


def struct_fields(text, typedef_name):
    """Field names of `typedef struct ... { ... } typedef_name;`, in order."""
    body = re.search(r"typedef struct \w*\s*\{([^{}]*)\}\s*" + typedef_name + ";", text).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    body = re.sub(r"#ifdef __BLOCKS__(.*?)#else.*?#endif", r"\1", body, flags=re.S)
    names = []
    for decl in body.split(";"):
        decl = decl.strip()
        if not decl:
            continue
        pointer = re.match(r"[^(]*\(\s*\*\s*(\w+)\s*\)", decl)  # a function pointer
        names.append(pointer.group(1) if pointer else re.findall(r"\w+", decl)[-1])
    return names


def initialiser(text, variable):
    """{field: value} of the designated initialiser of `variable`."""
    body = re.search(r"\b" + variable + r" = \{(.*?)\n\};", text, re.S).group(1)
    return dict(re.findall(r"^\s*\.(\w+) = (.+?),$", body, re.M))


class MacosZone(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def generate(self, spec_path):
        return dict(render.render(load_spec(str(spec_path)), "macos"))

    def specs(self):
        """The reference spec, and one without lock entries (the fork hooks are then no-ops)."""
        plain = self.tmp / "plain.yaml"
        plain.write_text(textwrap.dedent("""\
            name: plain
            platforms: [macos]
            entry:
              malloc: p_malloc
              free: p_free
              usable_size: p_usable_size
              aligned: p_memalign
              owns: p_owns
            """), encoding="utf-8")
        return [REFERENCE_SPEC, plain]

    def test_header_matches_the_version_table(self):
        text = HEADER.read_text(encoding="utf-8")
        self.assertEqual(struct_fields(text, "malloc_zone_t"), [f for f, _ in ZONE_FIELDS])
        self.assertEqual(struct_fields(text, "malloc_introspection_t"), [f for f, _ in INTROSPECTION_FIELDS])

    def test_zone_filled_for_its_version(self):
        for spec_path in self.specs():
            with self.subTest(spec=spec_path.name):
                files = self.generate(spec_path)
                zone = next(text for path, text in files.items() if path.endswith("_zone.c"))
                version = int(re.search(r"#define ALLOC8_ZONE_VERSION (\d+)u", zone).group(1))
                self.assertGreaterEqual(version, 9, "the issue asks for a zone of version 9 or later")
                for variable, table in (("alloc8_zone", ZONE_FIELDS),
                                        ("alloc8_zone_introspection", INTROSPECTION_FIELDS)):
                    values = initialiser(zone, variable)
                    for field, since in table:
                        if since > version:
                            self.assertNotIn(field, values, f"{variable}.{field} is from version {since}")
                        elif field not in MAY_BE_NULL:
                            self.assertIn(field, values, f"{variable}.{field} (version {since}) is not set")
                            self.assertNotIn(values[field], ("NULL", "0"), f"{variable}.{field}")
                    unknown = set(values) - {f for f, _ in table}
                    self.assertFalse(unknown, f"{variable} sets fields libmalloc does not have")
                    for field, value in values.items():
                        if value.startswith("alloc8_zone_"):  # a function defined in this file
                            self.assertRegex(zone, r"\nstatic [^\n(]*\b" + value + r"\(",
                                             f"{variable}.{field} = {value} is not defined")
                self.assertEqual(initialiser(zone, "alloc8_zone")["version"], "ALLOC8_ZONE_VERSION")
                self.assertEqual(initialiser(zone, "alloc8_zone")["introspect"], "&alloc8_zone_introspection")

    def test_fork_goes_through_the_lock_entries(self):
        zone = self.generate(REFERENCE_SPEC)["macos/alloc8demo_zone.c"]
        for hook, entry in (("force_lock", "lock"), ("force_unlock", "unlock"), ("reinit_lock", "unlock")):
            body = re.search(r"static void alloc8_zone_" + hook + r"\(malloc_zone_t \*zone\) \{(.*?)\n\}", zone, re.S)
            self.assertIn(f"alloc8_entry_{entry}();", body.group(1), hook)
        self.assertFalse(any("pthread_atfork(" in text for text in self.generate(REFERENCE_SPEC).values()),
                         "fork goes through the zone's lock hooks only")

    def test_interpose_table(self):
        files = self.generate(REFERENCE_SPEC)
        table = re.findall(r"^ALLOC8_INTERPOSE\((\w+), (\w+)\)$", files["macos/alloc8demo_malloc.c"], re.M)
        # against the independent list above, not the generator's own table (which made the output)
        self.assertEqual(sorted(replacee for _, replacee in table), sorted(INTERPOSED))
        cxx = re.findall(r"^DYLD_INTERPOSE\((\w+), (\w+)\)$", files["macos/alloc8demo_cxx.c"], re.M)
        self.assertEqual(len(cxx), len(exports.CXX_OPERATORS))
        threads = files["macos/alloc8demo_threads.c"]
        self.assertIn("DYLD_INTERPOSE(alloc8_macos_pthread_create, pthread_create)", threads)
        for text in files.values():
            self.assertNotIn("_Thread_local", text)
            self.assertNotRegex(text, r"constructor\(\d+")  # no constructor priorities

    def test_prefixed_mode_interposes_nothing(self):
        spec = REPO / "tests" / "specs" / "build" / "prefixed.yaml"
        files = self.generate(spec)
        self.assertNotIn("macos/demo_prefixed_zone.c", files)
        self.assertIn("void *demo_malloc(size_t size)", files["macos/demo_prefixed_malloc.c"])
        self.assertNotIn("ALLOC8_INTERPOSE", files["macos/demo_prefixed_malloc.c"])


if __name__ == "__main__":
    unittest.main()
