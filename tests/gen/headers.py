# SPDX-License-Identifier: MIT
"""What the generated C meets on each platform, derived from this machine's compilers and headers.

- `render_markers(platform)`: the templates rendered for specs whose every name is a marker
  (spec name `qzname`, prefix `qzpfx_`, entries `qzent_<role>`, hooks `qzinit`, `qzcleanup`,
  `qzflag`, heap `qzheap`), with every feature on; from it
- `system_includes(files)`: the `#include <...>` lines of the generated files (and the feature
  macros they define first, such as _GNU_SOURCE), and
- `derived_patterns(files)`: how each spec name reaches C, as patterns such as `{}_allocate` or
  `ALLOC8_HEAP_{U}_H` (`{}` the name, `{U}` the name in upper case);
- `header_identifiers(platform)`: every identifier the headers of those includes (and of the C
  standard library, whose functions compilers know as builtins) declare at file scope or define as
  macros, with each compiler that builds that platform's glue (declarations from clang's AST,
  macros from `-dM` of gcc and clang);
- `header_files(platform)`: the headers found at the top of an include directory, which a generated
  file of the same name would shadow.

Used by test_reserved.py; `python3 headers.py` prints what gen/alloc8gen/reserved.py holds.
"""
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from support import REPO

from alloc8gen import render
from alloc8gen.roles import ROLES
from alloc8gen.validate import load_spec

PLATFORMS = ("linux", "windows", "macos")
MARK = {"spec": "qzname", "prefix": "qzpfx_", "heap": "qzheap", "init": "qzinit", "cleanup": "qzcleanup",
        "flag": "qzflag", "entry": "qzent_"}
MACOS_HEADERS = REPO / "tests" / "platform" / "macos"
RUNTIME_INCLUDE = REPO / "runtime" / "include"
# The ISO C library (C11 and the C23 additions the compilers know): compilers treat its functions
# as builtins whether or not a header declares them, so an allocator may not take their names.
STANDARD_C = tuple(("assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h locale.h "
              "math.h setjmp.h signal.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h stdio.h "
              "stdlib.h stdnoreturn.h string.h tgmath.h threads.h time.h uchar.h wchar.h wctype.h").split())
# and glibc's non-ISO functions that gcc also knows as builtins (index, bzero, stpcpy, j0, gettext, ...)
GNU_BUILTIN_HEADERS = ("strings.h", "libintl.h")

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def entry_line(role, symbol):
    """A spec's line binding `role` to `symbol` (entry.aligned_large needs its from_alignment)."""
    if role == "aligned_large":
        return f"  {role}: {{symbol: {symbol}, from_alignment: 256}}\n"
    return f"  {role}: {symbol}\n"


def _spec_texts(platform):
    """Marker specs that between them switch on every template feature for `platform`."""
    # register_error: linux only, and not with init (validate.py), so only in the spec without init
    roles = [r for r in ROLES if (platform == "linux" or r != "init") and r != "register_error"]
    entry = "".join(entry_line(r, f"{MARK['entry']}{r}") for r in roles)
    register_error = entry_line("register_error", f"{MARK['entry']}register_error") if platform == "linux" else ""
    threads = f"threads:\n  init: {MARK['init']}\n  cleanup: {MARK['cleanup']}\n  created_flag: {MARK['flag']}\n"
    head = f"name: {MARK['spec']}\nplatforms: [{platform}]\n"
    fallbacks = ("gc", "allocator") + (("system",) if platform != "windows" else ())
    texts = []
    for i, fallback in enumerate(fallbacks):
        boot = "bootstrap_size: 8192\n" if platform == "linux" else ""
        heap = f"heap:\n  name: {MARK['heap']}\n  fallback: {fallback}\n  cxx_header: true\n"
        if fallback == "allocator":
            entry_heap = entry.replace(f"  init: {MARK['entry']}init\n", "") + register_error
            texts.append(head + "entry:\n" + entry_heap + threads + heap)
        elif i == 0:
            texts.append(head + "entry:\n" + entry + boot + threads + heap)
        else:
            texts.append(head + heap)
    texts.append(head + f"mode: prefixed\nprefix: {MARK['prefix']}\nentry:\n" + entry + threads.replace(
        "threads:\n", "threads:\n  activation: build\n"))
    texts.append(head + "guarantees: {sets_errno: except_oversize, alignment: 8, alignment_by_size: true}\n"
                 + "entry:\n" + entry + threads.replace("threads:\n", "threads:\n  activation: library\n"))
    return texts


@functools.lru_cache(maxsize=None)
def render_markers(platform):
    """{file name: text} of the templates rendered for the marker specs (files of the same name
    from different specs are all kept, under distinct keys)."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(_spec_texts(platform)):
            path = Path(tmp) / "markers.yaml"
            path.write_text(text, encoding="utf-8")
            for rel, body in render.render(load_spec(str(path)), platform):
                out[f"{i}:{rel}"] = body
    return out


def _strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", '""', text)


def system_includes(files):
    """The preprocessor lines a translation unit needs to see what the generated files see: the
    feature macros they define before their includes, then every `#include <...>` (each once)."""
    defines, includes = [], []
    for text in files.values():
        lines = text.splitlines()
        last = max((i for i, l in enumerate(lines) if l.startswith("#include <")), default=-1)
        for line in lines[: last + 1]:
            m = re.match(r"#define ([A-Za-z_]\w*)\b(.*)", line)
            if m and not m.group(1).upper().startswith("ALLOC8") and "qz" not in line.lower():
                entry = f"#define {m.group(1)}{m.group(2).split('/*')[0].rstrip()}"
                if entry not in defines and not any(d.split()[1] == m.group(1) for d in defines):
                    defines.append(entry)
        for m in re.finditer(r"^#include <([^>]+)>", text, flags=re.M):
            if m.group(1) not in includes:
                includes.append(m.group(1))
    return defines, includes


def derived_patterns(files):
    """{kind: {pattern}}: every identifier of the generated code that holds a marker, with the
    marker replaced by `{}` (as written) or `{U}` (upper case). Kinds: spec, prefix, heap, hook
    (init, cleanup, created_flag) and entry."""
    kinds = {"spec": MARK["spec"], "prefix": MARK["prefix"], "heap": MARK["heap"], "init": MARK["init"],
             "cleanup": MARK["cleanup"], "flag": MARK["flag"]}
    out = {k: set() for k in ("spec", "prefix", "heap", "hook", "entry")}
    for text in files.values():
        for tok in set(IDENT.findall(_strip_comments_and_strings(text))):
            low = tok.lower()
            if MARK["entry"] in low:  # an entry's symbol, qzent_<role>, or a name made from it
                out["entry"].add("{}" if tok[len(MARK["entry"]):] in ROLES else tok)
                continue
            for kind, mark in kinds.items():
                i = low.find(mark)
                if i < 0:
                    continue
                marker = tok[i:i + len(mark)]
                pattern = tok[:i] + ("{U}" if marker.isupper() else "{}") + tok[i + len(mark):]
                out["hook" if kind in ("init", "cleanup", "flag") else kind].add(pattern)
    return out


# ---- compilers -------------------------------------------------------------------------------------

def _compilers(platform, cxx=False):
    """[(kind, argv prefix)] for one platform: kind 'gcc' (macros only) or 'clang' (macros and
    declarations). Missing compilers are left out."""
    have = shutil.which
    if platform == "linux":
        if cxx:
            out = [("gcc", ["g++", "-x", "c++", "-std=c++17"]), ("clang", ["clang++", "-x", "c++", "-std=c++17"])]
        else:
            out = [(k, [cc, f"-std={std}"]) for k, cc in (("gcc", "gcc"), ("clang", "clang"))
                   for std in ("c11", "gnu11")]
        return [(k, a + [f"-I{RUNTIME_INCLUDE}"]) for k, a in out if have(a[0])]
    if platform == "windows":
        lang = ["-x", "c++", "-std=c++17"] if cxx else ["-std=gnu11"]
        gcc = "x86_64-w64-mingw32-g++" if cxx else "x86_64-w64-mingw32-gcc"
        out = []
        if have(gcc):
            out.append(("gcc", [gcc] + lang + [f"-I{RUNTIME_INCLUDE}"]))
        if have("clang") and have("x86_64-w64-mingw32-gcc"):
            out.append(("clang", ["clang", "--target=x86_64-w64-mingw32"] + lang + [f"-I{RUNTIME_INCLUDE}"]))
        return out
    if cxx or not have("clang"):  # macOS: the C sources only, against the minimal Apple headers
        return []
    resource = subprocess.run(["clang", "-print-resource-dir"], capture_output=True, text=True).stdout.strip()
    return [("clang", ["clang", "-target", "arm64-apple-macos11", "-std=c11", "-nostdinc", "-isystem",
                       f"{resource}/include", "-isystem", str(MACOS_HEADERS), f"-I{RUNTIME_INCLUDE}"])]


def _unit(defines, includes):
    """A translation unit including each header that exists for this compiler."""
    body = list(defines)
    for h in includes:
        body += [f"#if __has_include(<{h}>)", f"#include <{h}>", "#endif"]
    return "\n".join(body) + "\n"


def _existing(argv, includes, cxx):
    probe = "".join(f"#if __has_include(<{h}>)\nfound {i}\n#endif\n" for i, h in enumerate(includes))
    r = _run(argv + ["-E", "-P"], probe, ".cpp" if cxx else ".c")
    found = {int(i) for i in re.findall(r"found (\d+)", r.stdout)}
    return [h for i, h in enumerate(includes) if i in found]


def _run(argv, unit, suffix):
    with tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False) as f:
        f.write(unit)
    try:
        return subprocess.run(argv + [f.name], capture_output=True, text=True, errors="replace")
    finally:
        os.unlink(f.name)


TOP_DECLS = ("FunctionDecl", "VarDecl", "TypedefDecl", "RecordDecl", "EnumDecl", "CXXRecordDecl",
             "NamespaceDecl", "FunctionTemplateDecl", "ClassTemplateDecl", "TypeAliasDecl", "UsingDecl")
AST_WORDS = {"used", "referenced", "implicit", "invalid", "hidden", "struct", "union", "enum", "class",
             "definition", "extern", "static", "inline", "imported", "cinit", "callinit", "listinit",
             "nrvo", "tls", "tls_dynamic", "constexpr", "prev", "parent", "col", "line", "typename",
             "this", "instantiated_from", "from"}


def _ast_names(text, cxx):
    """File-scope names from a clang -ast-dump: top-level declarations (also inside extern "C"
    blocks) and every enumeration constant."""
    names, top_kind = set(), ""
    for line in text.splitlines():
        m = re.match(r"^((?:[| ] )*)[|`]-(\w+) ", line)
        if not m:
            continue
        depth, kind = len(m.group(1)) // 2, m.group(2)
        if depth == 0:
            top_kind = kind
        at_file_scope = depth == 0 or (depth == 1 and top_kind == "LinkageSpecDecl")
        if kind in ("RecordDecl", "EnumDecl") and not cxx:
            continue  # a C tag (struct tm) does not collide with an ordinary identifier
        if not (kind == "EnumConstantDecl" or (at_file_scope and kind in TOP_DECLS)):
            continue
        name = None
        for tok in re.findall(r"'[^']*'|<[^>]*>|\S+", line[m.end():])[1:]:
            if tok.startswith("'"):
                break
            if IDENT.fullmatch(tok) and tok not in AST_WORDS:
                name = tok
        if name:
            names.add(name)
    return names


def _macro_names(text):
    return set(re.findall(r"^#define ([A-Za-z_]\w*)", text, flags=re.M))


@functools.lru_cache(maxsize=None)
def header_identifiers(platform, cxx=False):
    """(identifiers, problems): every name the headers of `platform`'s generated files (C, or the
    C++ heap header) and the C standard library declare at file scope or define as macros, for
    every compiler that builds them here; problems lists compilers that failed."""
    files = render_markers(platform)
    chosen = {k: v for k, v in files.items() if k.endswith(".hpp") == cxx}
    defines, includes = system_includes(chosen)
    if not cxx and platform != "macos":  # (the minimal macOS headers have no C library; Linux's stands in)
        includes += [h for h in STANDARD_C + (GNU_BUILTIN_HEADERS if platform == "linux" else ())
                     if h not in includes]
    compilers = _compilers(platform, cxx)
    if compilers:  # the headers the first compiler has (clang for mingw-w64 would find the host's)
        includes = _existing(compilers[0][1], includes, cxx)
    unit = _unit(defines, includes)
    names, problems = set(), []
    for kind, argv in compilers:
        suffix = ".cpp" if cxx else ".c"
        r = _run(argv + ["-E", "-dM"], unit, suffix)
        if r.returncode:
            problems.append(f"{' '.join(argv)} -E -dM: {r.stderr.strip()[:400]}")
            continue
        names |= _macro_names(r.stdout)
        if kind == "clang":
            r = _run(argv + ["-fsyntax-only", "-w", "-Xclang", "-ast-dump", "-fno-color-diagnostics"], unit, suffix)
            if r.returncode:
                problems.append(f"{' '.join(argv)} -ast-dump: {r.stderr.strip()[:400]}")
                continue
            names |= _ast_names(r.stdout, cxx)
    return frozenset(names), tuple(problems)


@functools.lru_cache(maxsize=None)
def header_files(platform):
    """Headers that the generated files' includes reach (directly or not) which sit at the top of
    an include directory, as lower-case file names: a generated file of that name (on a
    case-insensitive file system, of any case) in the output directory, which is on the include
    path, would be found instead."""
    files = render_markers(platform)
    found = set()
    for cxx in (False, True):
        defines, includes = system_includes({k: v for k, v in files.items() if k.endswith(".hpp") == cxx})
        for _, argv in _compilers(platform, cxx):
            unit = _unit(defines, _existing(argv, includes, cxx))
            dirs = _search_dirs(tuple(argv), cxx)
            r = _run(argv + ["-E", "-H", "-o", os.devnull], unit, ".cpp" if cxx else ".c")
            for line in r.stderr.splitlines():
                m = re.match(r"^\.+ (.+)$", line)
                if not m:
                    continue
                path = os.path.normpath(m.group(1))
                for d in dirs:
                    if os.path.dirname(path) == d:
                        found.add(os.path.basename(path).lower())
    return frozenset(found)


@functools.lru_cache(maxsize=None)
def _search_dirs(argv, cxx):
    r = subprocess.run(list(argv) + ["-E", "-v", "-x", "c++" if cxx else "c", "-"], input="", capture_output=True,
                       text=True)
    dirs, inside = [], False
    for line in r.stderr.splitlines():
        if line.startswith("#include <...> search starts here") or line.startswith('#include "..." search starts'):
            inside = True
            continue
        if line.startswith("End of search list"):
            break
        if inside and line.startswith(" "):
            dirs.append(os.path.normpath(line.strip().split(" (")[0]))
    return dirs


def _pattern_regex(pattern):
    parts = re.split(r"(\{U?\})", pattern)
    body = "".join("([A-Za-z0-9_]+)" if p == "{}" else "([A-Z0-9_]+)" if p == "{U}" else re.escape(p)
                   for p in parts)
    return re.compile(body + r"\Z")


def accepted_collisions(platform):
    """[(kind, base name, pattern, header identifier)]: names the validator accepts for a spec
    listing only `platform` although the generated code would turn them into a header's identifier."""
    from alloc8gen import reserved
    files = render_markers(platform)
    out = []
    for cxx in (False, True):
        names, _ = header_identifiers(platform, cxx)
        patterns = derived_patterns({k: v for k, v in files.items() if k.endswith(".hpp") == cxx})
        for kind, kind_patterns in patterns.items():
            for pattern in sorted(kind_patterns):
                regex = _pattern_regex(pattern)
                for ident in sorted(names):
                    m = regex.match(ident)
                    if not m or not m.groups():
                        continue
                    base = m.group(1)
                    bases = {base, base.lower()} if "{U}" in pattern else {base}
                    for b in sorted(bases):
                        if not IDENT.fullmatch(b) or len(b) > 96:
                            continue
                        if reserved.problem(b, kind, (platform,)) is None:
                            out.append((kind, b, pattern, ident))
    return out


def main():
    """Print HEADER_FAMILIES, HEADER_NAMES and HEADER_FILES as reserved.py should hold them: what
    it holds, plus what is missing (on stderr: what was missing, and why)."""
    from alloc8gen import reserved
    missing, patterns, derived = set(), {}, set()
    for platform in PLATFORMS:
        for cxx in (False, True):
            for p in header_identifiers(platform, cxx)[1]:
                print(f"# problem: {p}", file=sys.stderr)
        for kind, base, pattern, ident in accepted_collisions(platform):
            missing.add(ident)
            patterns.setdefault((kind, pattern), set()).add(ident)
            if pattern != "{}":
                derived.add(ident)  # checked exactly (reserved.in_headers): kept even in a family
    for (kind, pattern), idents in sorted(patterns.items()):
        print(f"# {kind} {pattern}: {len(idents)} ({' '.join(sorted(idents)[:8])} ...)", file=sys.stderr)
    print(f"# {len(missing)} identifiers were missing", file=sys.stderr)
    names = missing | reserved.HEADER_NAMES
    counts = {}
    for n in names:
        m = re.match(r"[A-Za-z0-9]+_", n)
        if m:
            if not m.group(0).upper().startswith("ALLOC8"):  # exact: the glue's own names derive from them
                counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    families = set(reserved.HEADER_FAMILIES) | {f for f, c in counts.items() if c >= FAMILY_SIZE and (
        f[:-1].isupper() or len(f) >= 5)}  # a macro namespace, or a lower-case prefix no plain word shares
    names = {n for n in names if not n.startswith(tuple(families)) or n in derived or n in reserved.HEADER_NAMES}
    files = set(reserved.HEADER_FILES)
    for platform in PLATFORMS:
        files |= {f[:-2] for f in header_files(platform) if f.endswith(".h")}
    for label, words in (("HEADER_FAMILIES", families), ("HEADER_NAMES", names), ("HEADER_FILES", files)):
        print(f'{label} = frozenset("""')
        print("\n".join(textwrap.wrap(" ".join(sorted(words)), 100, break_on_hyphens=False)))
        print('""".split())')


# a prefix (up to its first '_') that this many header names share becomes a family, if it is in
# upper case (GC_, SYS_) or four letters long at least (pthread_, atomic_; not u_, sz_, int_)
FAMILY_SIZE = 8


if __name__ == "__main__":
    main()
