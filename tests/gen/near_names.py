# SPDX-License-Identifier: MIT
"""Write specs whose every name is close to a name of a header the generated code includes.

    near_names.py OUTDIR

For each header the templates include (headers.system_includes of the templates rendered for every
feature), a few identifiers that header declares or defines (gcc's `-E -dD` with line markers says
which file each comes from) are turned into near names (`printf` -> `printf_`, `xprintf`, ...);
those the validator accepts fill the names of a few specs: entry symbols, thread hooks, heap name,
prefix, spec name. tests/linux/compile_matrix.sh generates and compiles them (gcc, clang,
mingw-w64): a name the validator accepts must compile, however close it is to a reserved one.
Deterministic: the same headers give the same specs.
"""
import os
import re
import shutil
import sys

import headers

from alloc8gen import reserved
from alloc8gen.roles import ROLES
from alloc8gen.schema import C_KEYWORDS

PER_HEADER = 2
GCC = {"linux": ["gcc", "-std=gnu11", f"-I{headers.RUNTIME_INCLUDE}"], "windows": ["x86_64-w64-mingw32-gcc", "-std=gnu11",
                                                                                  f"-I{headers.RUNTIME_INCLUDE}"]}


def names_by_header(platform):
    """{included header: [identifiers its own file declares or defines, in file order, then those
    of the headers it includes]}."""
    defines, includes = headers.system_includes(headers.render_markers(platform))
    argv = GCC[platform]
    includes = headers._existing(argv, includes, False)
    out = {}
    for header in includes:
        unit = "\n".join(defines + [f"#include <{header}>"]) + "\n"
        r = headers._run(argv + ["-E", "-dD"], unit, ".c")
        own, others, current, seen = [], [], None, set()
        for line in r.stdout.splitlines():
            m = re.match(r'^# \d+ "([^"]+)"', line)
            if m:
                current = m.group(1)
                continue
            if current is None or current.startswith("<"):
                continue
            m = re.match(r"^#define ([A-Za-z_]\w*)", line)
            tokens = [m.group(1)] if m else re.findall(r"\b[A-Za-z_]\w*\b", re.sub(r'"(\\.|[^"\\])*"', "", line))
            for tok in tokens:
                if tok not in seen and tok not in C_KEYWORDS and not tok.startswith("_"):
                    seen.add(tok)
                    (own if current.endswith("/" + header) else others).append(tok)
        out[header] = own + others
    return out


def near(name):
    """Names one small edit away from `name`."""
    base = name.rstrip("_") or name
    return [base + "_", "x" + base, base + "x", base + "2", "my_" + base, base[:-1] + "_" + base[-1]]


def collect(platform):
    """[(header, near name)]: up to PER_HEADER accepted near names per header, for a spec that
    lists `platform` (and linux)."""
    platforms = ("linux", platform)
    picked, used = [], set()
    for header, idents in names_by_header(platform).items():
        count = 0
        for ident in idents:
            if count == PER_HEADER:
                break
            for candidate in near(ident):
                if (candidate not in used and re.fullmatch(r"[A-Za-z_]\w*", candidate) and len(candidate) <= 96
                        and all(reserved.problem(candidate, role, platforms) is None
                                for role in ("entry", "hook", "heap", "spec"))
                        and not any(u.lower().startswith(candidate.lower()) or candidate.lower().startswith(u.lower())
                                    for u in used)):
                    picked.append((header, candidate))
                    used.add(candidate)
                    count += 1
                    break
    return picked


def specs(platform, names):
    """Spec texts using every name once: the entries (not init, nor register_error, which is for
    Linux alone), the thread hooks, the heap and the spec's name; every other spec in prefixed
    mode, its prefix one of the names."""
    roles = [r for r in ROLES if r != "init" and (r != "register_error" or platform == "linux")]
    out, i = [], 0
    while i < len(names):
        chunk = names[i:i + len(roles) + 5]
        i += len(roles) + 5
        if len(chunk) < len(roles) + 5:
            chunk += [f"near_{platform}_{k}" for k in range(len(roles) + 5 - len(chunk))]
        spec_name, heap, init, cleanup, flag = chunk[:5]
        entries = chunk[5:]
        prefixed = len(out) % 2 == 1
        text = [f"name: {spec_name}", f"platforms: [linux{', ' + platform if platform != 'linux' else ''}]"]
        if prefixed:
            text += ["mode: prefixed", f"prefix: {entries[0]}_"]
        text += ["entry:"] + [headers.entry_line(role, symbol).rstrip("\n") for role, symbol in zip(roles, entries)]
        text += ["threads:", f"  init: {init}", f"  cleanup: {cleanup}", f"  created_flag: {flag}"]
        text += ["heap:", f"  name: {heap}", "  fallback: allocator", "  cxx_header: true"]
        out.append("\n".join(text) + "\n")
    return out


def main():
    target = sys.argv[1]
    if os.path.isdir(target):
        shutil.rmtree(target)
    os.makedirs(target)
    platforms = ["linux"] + (["windows"] if shutil.which("x86_64-w64-mingw32-gcc") else [])
    total = 0
    for platform in platforms:
        picked = collect(platform)
        names = [n for _, n in picked]
        for k, text in enumerate(specs(platform, names)):
            with open(os.path.join(target, f"near_{platform}_{k}.yaml"), "w", encoding="utf-8") as f:
                f.write(text)
        total += len(names)
        print(f"near names ({platform}): {len(names)} names from {len({h for h, _ in picked})} headers")
    if total == 0:
        sys.exit("FAIL: no near names")


if __name__ == "__main__":
    main()
