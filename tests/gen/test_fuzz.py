# SPDX-License-Identifier: MIT
"""The generator on hostile specs: thousands of seeded mutations of every shipped spec, and bombs.

Whatever the file holds, the generator must exit 0 or 2, never print a traceback, answer a
rejection with exactly one line (`file:line: what; expected what`) free of control characters,
and do each case in well under a second. Time is sized by work: each case's CPU time (not wall
time, which a loaded machine stretches) must stay under MAX_CPU_SECONDS, a bound ten or more times
what a case costs; and each bomb must be refused by the limit that guards against it (its
message), not merely be fast on this machine. Accepted specs that this process also generates (a
sample) must leave complete files only.
"""
import os
import random
import re
import tempfile
import time
import unittest
from pathlib import Path

from support import REFERENCE_SPEC, REPO, run_cli, run_main

from alloc8gen import yamlsource

SEED = 15
CASES = 2000
MAX_CPU_SECONDS = 1.0
WRITE_EVERY = 25  # one accepted spec in this many is generated to files, the others only listed

GOOD = ([REFERENCE_SPEC] + sorted((REPO / "tests" / "specs" / "build").glob("*.yaml"))
        + sorted((REPO / "bindings").glob("*.yaml")))
BAD = sorted((REPO / "tests" / "specs" / "bad").glob("*.yaml"))
# A rejection is one line of printable text: no C0/C1 controls, line or paragraph separators,
# bidirectional overrides or other format characters.
HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
                    "\ud800-\udfff]")
MESSAGE = re.compile(r"^.+:\d+: .+; expected .+$")

# Values that YAML reads in surprising ways, or that C reads as something else.
YAML_VALUES = (
    "yes No ON off y n ~ null NULL 0o17 0o9 0x_1 0xFF 1_000 0b101 0b2 +12 -0 1e3 1E+3 .inf -.Inf .NaN 1:20 "
    "1:20:30.5 2001-12-14 2001-13-45 2001-12-14t21:59:43.10-05:00 2002-02-30 0.5 1.0e+1000 -2147483649 "
    "2147483648 4096 16 64 0 -1 16.0 0x10 020 [] {} [size] [ptr,size] [alignment,size] [0] [1.5] [true] "
    "[size,size] [total] [lg_alignment,size] [size,1e3] [size,0x10] [size,99999999999999] [size,!!int x] "
    "!!int !!str !!float !!bool !!binary !!timestamp !!set !!omap !!null !!python/name:os.system !local "
    "'!!bool x' '!!int \"\"' '!!float \"\"' '!!timestamp x' '!!int 1_' '!!bool \"\"' &a *a ? - : | > % @ `"
).split() + ['"\\x01"', '"\\t"', '"a\\nb"', '"\\u202e"', '"\\0"', '"\\e"', '"\\x85"', '"\\u2028"', "'it''s'",
             '"' + "\\u0041" * 40 + '"']
# Names near and inside the namespaces of the headers the glue includes, keywords, the glue's own.
NAMES = (
    "printf sleep clock_t dlopen thrd_t mtx_lock stdio stdlib string errno EOF NULL TRUE FALSE ALLOC8_X "
    "Alloc8_x alloc8 __linux__ linux unix _WIN32 WIN32 and_eq bitor xor compl not new delete class this std "
    "operator main size_t max_align_t int8_t atomic_load memory_order_relaxed pthread_t SYS_gettid CHAR_BIT "
    "sched_yield environ stdin FILE va_list HeapAlloc DWORD HANDLE BOOL min max near far interface small "
    "boolean byte GC_malloc offsetof assert static_assert mallinfo RTLD_NEXT Dl_info abort exit free realloc "
    "aligned_alloc _exit __libc_malloc __libc_free malloc_usable_size I complex errno_t wchar_t thread_local "
    "_Bool signal time tm sin cosf index bzero exp10 j0 gettext y0 allocate deallocate with_allocator "
    "NorefsTag T current registry gc vfree connect windows psapi sys SYS clock file page mem unlock lock "
    "printf_ my_sleep clock_t2 xdlopen thrd_x MAIN Sin Index xx_glue XX_GLUE heap_xx demo Demo_Glue"
).split()
HUGE = ("9" * 5000, "0x" + "f" * 5000, "-0x" + "f" * 4000, "0b" + "1" * 20000, "1" * 4400, "0o" + "7" * 6000,
        "1" + "0" * 400 + ".5", "1_" * 3000 + "1", "190:" * 50 + "20", "123456789012345678901234567890")
CHARS = ("[", "]", "{", "}", ":", ",", "'", '"', "&", "*", "!", "#", "-", " ", "\t", "\\", "\x01", "\x7f",
         "\x85", "\u2028", "\ufeff", "é", "\u202e", "\r", "%", "|", ">", "\0", "\x1b[31m")
FILE_NAMES = ("spec.yaml", "s\u202epec.yaml", "a\nb.yaml", "x\x1b[2J.yaml", "é.yaml", "-.yaml", " .yaml")
ODD_FILE_NAMES = (b"sp\xffec.yaml", b"\xc3(.yaml", b"\xed\xa0\x80.yaml")  # not UTF-8: undecodable bytes


def mutate(rng, text):
    lines = text.splitlines(keepends=True) or ["\n"]
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        kind = rng.randrange(10)
        if kind == 0 and len(lines) > 1:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif kind == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind in (3, 4, 5) and ":" in lines[i]:
            head = lines[i].split(":", 1)[0]
            value = rng.choice(YAML_VALUES if kind == 5 else NAMES)
            if rng.random() < 0.3:
                value = rng.choice([value + "_x", "x_" + value, value.upper(), value.lower()])
            if rng.random() < 0.03:
                value = rng.choice(HUGE)
            lines[i] = f"{head}: {value}\n"
        elif kind == 6:
            p = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:p] + rng.choice(CHARS) + lines[i][p:]
        elif kind == 7:
            role = rng.choice(["lock", "unlock", "fork_child", "init", "owns", "free_sized", "realloc", "calloc"])
            lines.insert(i, f"  {role}: {rng.choice(NAMES)}\n")
        elif kind == 8:
            name = rng.choice(NAMES)
            lines.insert(i, rng.choice([
                "platforms: [linux, windows, macos]\n", "platforms: [windows]\n", "platforms: [macos]\n",
                f"heap:\n  name: {name}\n  fallback: {rng.choice(['gc', 'system', 'allocator'])}\n  cxx_header: true\n",
                f"threads:\n  init: {name}\n  cleanup: {rng.choice(NAMES)}\n",
                f"mode: prefixed\nprefix: {name}\ncxx: false\n",
                f"  lock: {{symbol: {name}, args: [{rng.choice(['1', '0x10', 'size', '1, 2', ''])}]}}\n",
                f"  malloc: {{symbol: {name}, args: {rng.choice(YAML_VALUES)}}}\n",
                f"name: {name}\n", f"bootstrap_size: {rng.choice(YAML_VALUES + list(HUGE[:2]))}\n",
            ]))
        else:
            lines[i] = lines[i].upper() if rng.random() < 0.5 else lines[i].replace(" ", "", 1)
    return "".join(lines)


def bombs():
    """(name, text, the message fragment of the limit that must refuse it)."""
    deep = "the spec is nested more than"
    return [
        ("flow nesting 10,000", "name: x\nentry: " + "[" * 10000 + "]" * 10000 + "\n", deep),
        ("flow mapping nesting 10,000", "name: x\nentry: " + "{a: " * 10000 + "1" + "}" * 10000 + "\n", deep),
        ("unclosed flow nesting", "name: x\nentry: " + "[" * 30000 + "\n", deep),
        ("block nesting", "name: x\n" + "".join("  " * i + f"k{i}:\n" for i in range(200)), deep),
        ("dash nesting", "name: x\nentry:\n" + "- " * 20000 + "x\n", deep),
        ("flow list of 1 MiB", "name: x\nentry: [" + "1, " * 349000 + "1]\n", "larger than"),
        ("flow list within the size", "name: x\nentry: [" + "1, " * 20000 + "1]\n", "more than"),
        ("many keys", "name: x\n" + "".join(f"k{i}: v\n" for i in range(6000)), "more than"),
        ("many mappings", "name: x\nentry:\n" + "".join(f"  k{i}: [[[[]]]]\n" for i in range(2500)), "more than"),
        ("long scalar", "name: " + "a" * (1 << 20) + "\n", "larger than"),
        ("long comment", "# " + "x" * (1 << 20) + "\nname: x\n", "larger than"),
        ("billion laughs", "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)),
         "anchors and aliases"),
        ("recursive alias", "name: &a [*a]\n", "anchors and aliases"),
        ("merge key", "base: &b {malloc: x}\nentry:\n  <<: *b\n", "anchors and aliases"),
        ("tags", "name: x\nentry: " + "!!seq " * 8000 + "[]\n", "YAML"),
        ("huge decimal", "name: x\nbootstrap_size: " + "9" * 5000 + "\n", "characters long"),
        ("huge hexadecimal", "name: x\nbootstrap_size: 0x" + "f" * 5000 + "\n", "characters long"),
        ("huge binary", "name: x\nentry:\n  malloc: {symbol: m, args: [size, 0b" + "1" * 20000 + "]}\n",
         "characters long"),
        ("huge sexagesimal", "name: x\nbootstrap_size: " + "1:" * 3000 + "20\n", "characters long"),
        ("many documents", "name: x\n" + "---\nname: y\n" * 5000, "more than one YAML document"),
        ("NUL bytes", "name: x\n" + "\0" * 1000, "control character"),
    ]


class Fuzz(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(self._clean)
        self.slowest = (0.0, None)

    def _clean(self):
        for root, dirs, files in os.walk(self.tmp, topdown=False):
            for f in files:
                os.unlink(os.path.join(root, f))
            for d in dirs:
                os.rmdir(os.path.join(root, d))
        os.rmdir(self.tmp)

    def run_case(self, path, label, write=False):
        out = self.tmp / "out"
        args = [path, "--out", out] + ([] if write else ["--list-outputs"])
        start = time.process_time()
        result = run_main(*args)
        cpu = time.process_time() - start
        if cpu > self.slowest[0]:
            self.slowest = (cpu, label)
        where = f"{label}: {result.stderr[:300]!r}"
        self.assertIn(result.returncode, (0, 2), where)
        self.assertNotIn("Traceback", result.stderr + result.stdout, where)
        self.assertLess(cpu, MAX_CPU_SECONDS, f"{label}: {cpu:.2f} s of CPU time")
        if result.returncode == 2:
            self.assertEqual(result.stdout, "", where)
            self.assertTrue(result.stderr.endswith("\n") and result.stderr.count("\n") == 1,
                            f"{label}: not exactly one line: {result.stderr[:300]!r}")
            line = result.stderr[:-1]
            self.assertIsNone(HIDDEN.search(line), f"{label}: a control character in {line[:300]!r}")
            self.assertRegex(line, MESSAGE, label)
            if out.exists():
                self.assertEqual([p for p in out.rglob("*") if p.is_file()], [], f"{label}: files left behind")
        elif write:
            written = sorted(p for p in out.rglob("*") if p.is_file())
            self.assertEqual([p for p in written if p.name.startswith(".alloc8-")], [], f"{label}: temporary files")
            self.assertTrue(written, label)
        if out.exists():
            self._rmtree(out)
        return result

    def _rmtree(self, path):
        for root, dirs, files in os.walk(path, topdown=False):
            for f in files:
                os.unlink(os.path.join(root, f))
            for d in dirs:
                os.rmdir(os.path.join(root, d))
        os.rmdir(path)

    def write(self, data, name="spec.yaml"):
        path = os.path.join(os.fsencode(self.tmp), os.fsencode(name) if isinstance(name, str) else name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return os.fsdecode(path)

    def test_mutated_specs(self):
        rng = random.Random(SEED)
        good = [p.read_text(encoding="utf-8") for p in GOOD]
        bad = [p.read_text(encoding="utf-8") for p in BAD]
        outcomes = {0: 0, 2: 0}
        accepted = 0
        for case in range(CASES):
            text = mutate(rng, rng.choice(good if rng.random() < 0.8 else bad))
            name = rng.choice(FILE_NAMES) if rng.random() < 0.05 else "spec.yaml"
            path = self.write(text, name)
            with self.subTest(case=case):
                result = self.run_case(path, f"case {case}", write=accepted % WRITE_EVERY == 0)
                outcomes[result.returncode] = outcomes.get(result.returncode, 0) + 1
                accepted += result.returncode == 0
            os.unlink(path)
        # the mutations must reach both outcomes in earnest, or the test proves little
        self.assertGreater(outcomes[0], CASES // 20, outcomes)
        self.assertGreater(outcomes[2], CASES // 2, outcomes)
        print(f"\n{CASES} mutated specs: {outcomes[0]} accepted, {outcomes[2]} rejected; slowest "
              f"{self.slowest[0] * 1000:.0f} ms of CPU ({self.slowest[1]})")

    def test_bombs_refused_by_their_limit(self):
        for label, text, message in bombs():
            with self.subTest(bomb=label):
                result = self.run_case(self.write(text), label)
                self.assertEqual(result.returncode, 2, label)
                self.assertIn(message, result.stderr, label)

    def test_limits_are_the_documented_ones(self):
        self.assertEqual((yamlsource.MAX_BYTES, yamlsource.MAX_DEPTH, yamlsource.MAX_NODES),
                         (64 * 1024, 16, 2000))
        at_limit = "name: x\nentry: " + "[" * 16 + "]" * 16 + "\n"  # the innermost list at depth 16, empty
        result = self.run_case(self.write(at_limit), "nesting at the limit")
        self.assertNotIn("nested", result.stderr)

    def test_odd_file_names(self):
        base = REFERENCE_SPEC.read_bytes()
        for name in FILE_NAMES + ODD_FILE_NAMES:
            for data in (base, base + b"\nentry: x\n"):  # accepted, then rejected
                with self.subTest(name=name, accepted=data == base):
                    try:
                        path = self.write(data, name)
                    except OSError:  # a file system that refuses the name
                        continue
                    self.run_case(path, f"file {name!r}", write=True)
                    os.unlink(path)

    def test_real_command(self):
        """The real `python -m alloc8gen` (its own stderr encoding, no in-process redirection)."""
        cases = [(b"sp\xffec\x1b[31m.yaml", REFERENCE_SPEC.read_bytes() + b"\nentry: x\n"),
                 (b"deep.yaml", b"name: x\nentry: " + b"[" * 10000 + b"\n"),
                 (b"huge.yaml", b"name: x\nbootstrap_size: 0x" + b"f" * 5000 + b"\n")]
        for name, data in cases:
            path = self.write(data, name)
            with self.subTest(name=name):
                for env in ({}, {"PYTHONIOENCODING": "ascii"}):
                    result = run_cli(path, "--list-outputs", env=env)
                    self.assertEqual(result.returncode, 2, result.stderr)
                    self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
                    self.assertIsNone(HIDDEN.search(result.stderr[:-1]), result.stderr)
                    self.assertNotIn("Traceback", result.stderr)

    def test_failed_write_leaves_no_partial_file(self):
        """A file that cannot be written (here: a directory in its place) stops the run with one
        line and exit 2; every file already there is complete, and no temporary file remains."""
        out = self.tmp / "out"
        spec = str(REFERENCE_SPEC)
        self.assertEqual(run_main(spec, "--out", out).returncode, 0)
        complete = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
        victim = sorted(complete)[len(complete) // 2]
        victim.unlink()
        victim.mkdir()
        result = run_main(spec, "--out", out)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        self.assertIn("cannot write", result.stderr)
        for p in out.rglob("*"):
            if p.is_file():
                self.assertFalse(p.name.startswith(".alloc8-"), p)
                self.assertEqual(p.read_bytes(), complete[p], p)


if __name__ == "__main__":
    unittest.main()
