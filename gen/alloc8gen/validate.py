# SPDX-License-Identifier: MIT
"""Validate a loaded spec and build its model (model.py); every refusal is a SpecError naming the
line and what was expected.

docs/spec.md is the user-facing description of everything checked here.
"""

import dataclasses
import hashlib
import re

from . import exports, platforms as platform_table, reserved, yamlsource
from .errors import shorten
from .model import (CONSTANT_TYPES, DERIVED_ARGS, ERRNO_ROLES, SETS_ERRNO_EXCEPT_OVERSIZE, Constant, Entry,
                    Guarantees, Heap, Spec, Threads)
from .yamlsource import kind_name
from .roles import ROLES
from .schema import Checker

MODES = ("interpose", "prefixed")
ACTIVATIONS = ("runtime", "library", "build")
FALLBACKS = ("gc", "system", "allocator")
EXHAUSTION = ("abort", "null")

TOP_KEYS = ("name", "mode", "platforms", "prefix", "cxx", "entry", "guarantees", "bootstrap_size",
            "threads", "heap", "library", "direct_calls")
GLUE_KEYS = ("mode", "prefix", "cxx", "guarantees", "bootstrap_size", "threads", "library",
             "direct_calls")  # need 'entry'
GUARANTEE_KEYS = ("alignment", "sets_errno", "free_preserves_errno", "free_accepts_null", "accepts_zero_size",
                  "alignment_by_size", "zeroed_from")
THREAD_KEYS = ("init", "cleanup", "created_flag", "activation", "enabled", "lazy_init")
HEAP_KEYS = ("name", "fallback", "alignment", "on_exhaustion", "cxx_header")
ENTRY_FORM_KEYS = ("symbol", "args")
# entry.aligned_large.from_alignment: above the glue's minimum alignment (16), which never reaches
# an aligned entry, and at most 1 GiB
LARGE_ALIGNMENT_RANGE = (32, 1 << 30)


def load_spec(path):
    """Load, validate and model the spec at `path`; raises SpecError."""
    root, data = yamlsource.load_with_bytes(path)
    return _build(Checker(path), root, hashlib.sha256(data).hexdigest())


def _build(ck, root, digest):
    top = ck.mapping(root, "spec", TOP_KEYS)
    name = ck.ident(ck.require(top, root, "spec", "name", "a 'name:' line with a C identifier"), "name")
    mode = ck.choice(top["mode"], "mode", MODES) if "mode" in top else "interpose"
    platforms = _platforms(ck, top["platforms"]) if "platforms" in top else ("linux",)
    _not_reserved(ck, top["name"], "name", name, role="spec", platforms=platforms)

    prefix = None
    if mode == "prefixed":
        node = ck.require(top, root, "spec", "prefix",
                          "a 'prefix:' (for example 'prefix: my_') because mode is 'prefixed'")
        prefix = ck.ident(node, "prefix", "a C identifier prefix such as 'my_'")
        _not_reserved(ck, node, "prefix", prefix, role="prefix", platforms=platforms)
    elif "prefix" in top:
        ck.fail(top["prefix"], "'prefix' is set but mode is 'interpose'",
                "no 'prefix', or 'mode: prefixed'")

    cxx = ck.boolean(top["cxx"], "cxx") if "cxx" in top else mode == "interpose"
    if cxx and mode == "prefixed":
        ck.fail(top["cxx"], "'cxx: true' would replace the global C++ operators, but mode is 'prefixed'",
                "'cxx: false' with 'mode: prefixed' (or 'mode: interpose')")

    reserved = exports.reserved_names(mode, prefix, cxx, threads="threads" in top)
    library = _library(ck, top, platforms) if "library" in top else None
    if "entry" in top or "heap" not in top:
        entry_node = ck.require(top, root, "spec", "entry",
                                "an 'entry:' mapping binding at least malloc, free, usable_size and aligned")
        entries = _entries(ck, entry_node, reserved, exports.yieldable_names(mode), platforms, library)
        if "register_error" in entries:
            _register_error_needs(ck, entries, platforms)
        if library:  # the glue's own init: it loads the library (templates/common/bootstrap.c.j2)
            entries["init"] = Entry(ROLES["init"], LIBRARY_RESOLVER, (), top["library"].line)
    else:  # a heap-only spec: no allocator glue
        for key in GLUE_KEYS:
            if key in top:
                ck.fail(top[key], f"'{key}' configures the allocator glue, but the spec has no 'entry'",
                        "an 'entry:' mapping binding the allocator's functions, or only 'name', "
                        "'platforms' and 'heap' (a heap-only spec)")
        entries, cxx = {}, False
    guarantees = _guarantees(ck, top["guarantees"]) if "guarantees" in top else Guarantees()
    direct_calls = _direct_calls(ck, top["direct_calls"], mode, platforms) if "direct_calls" in top else False
    boot = (ck.integer(top["bootstrap_size"], "bootstrap_size", 4096, 1 << 24, multiple_of=16)
            if "bootstrap_size" in top else 65536)
    if "bootstrap_size" in top and "init" not in entries:
        ck.fail(top["bootstrap_size"], "'bootstrap_size' is set but 'entry' binds no 'init'",
                "'entry.init' (the bootstrap area serves calls made while init runs), or no 'bootstrap_size'")
    if entries and "platforms" in top:  # the default, [linux], needs nothing more
        _platform_needs(ck, top["platforms"], mode, entries)
    threads = _threads(ck, top["threads"], reserved, entries, platforms) if "threads" in top else None
    heap = _heap(ck, top["heap"], reserved, name, entries, threads, platforms) if "heap" in top else None
    _derived_names_free(ck, top["name"], name, entries, threads)
    spec = Spec(path=ck.path, sha256=digest, name=name, mode=mode, platforms=platforms, prefix=prefix,
                cxx=cxx, entries=entries, guarantees=guarantees, bootstrap_size=boot,
                threads=threads, heap=heap, library=library, direct_calls=direct_calls)
    if library and not spec.first_call("free"):
        # the glue calls this free only with a block: the library's free is not found before one exists
        spec = dataclasses.replace(spec, guarantees=dataclasses.replace(guarantees, free_accepts_null=False))
    _file_names(ck, spec, top["name"], top.get("heap"))
    return spec


def _register_error_needs(ck, entries, platforms):
    """entry.register_error is called from a constructor of the Linux glue (templates/linux/malloc.c.j2),
    before anything else: not before entry.init (nor through spec.library's table: LIBRARY_REFUSED)."""
    line = entries["register_error"].line
    others = [p for p in platforms if p != "linux"]
    if others:
        ck.fail(line, f"'entry.register_error' is supported on the linux platform only, and 'platforms' lists '{others[0]}'",
                "'platforms: [linux]', or no 'register_error'")
    if "init" in entries:
        ck.fail(line, "'entry.register_error' is called when the glue is loaded, before 'entry.init' runs",
                "no 'register_error' with 'entry.init'")


def _direct_calls(ck, node, mode, platforms):
    """direct_calls: the executable's calls to pure forwards go to the allocator (templates/linux/
    direct_calls.c.j2): only what an interposer on glibc replaces."""
    value = ck.boolean(node, "direct_calls")
    if value and mode != "interpose":
        ck.fail(node, "'direct_calls: true' redirects the program's calls to malloc, but mode is 'prefixed'",
                "'direct_calls: false' (or no 'direct_calls') with 'mode: prefixed'")
    if value and "linux" not in platforms:
        ck.fail(node, "'direct_calls: true' applies to the linux platform (glibc), which 'platforms' does not list",
                "'linux' in 'platforms', or no 'direct_calls'")
    return value


def _platform_needs(ck, platforms_node, mode, entries):
    """What a platform's glue cannot do without (platforms.Platform: needs_owns, refuses_init)."""
    for item in platforms_node.value:
        platform = platform_table.PLATFORMS[item.value]
        if platform.needs_owns and mode == "interpose" and "owns" not in entries:
            ck.fail(item, f"platform '{platform.name}' in interpose mode needs 'entry.owns': {platform.needs_owns}",
                    f"an 'owns' entry (int f(const void *ptr)), 'mode: prefixed', or no '{platform.name}'")
        if platform.refuses_init and "init" in entries:
            why, instead = platform.refuses_init
            ck.fail(item, f"platform '{platform.name}' does not support 'entry.init' yet ({why})",
                    f"{instead}, or no '{platform.name}'")


def _platforms(ck, node):
    items = ck.sequence(node, "platforms", "a list such as [linux]")
    if not items:
        ck.fail(node, "'platforms' is empty", f"a list of one or more of {', '.join(platform_table.NAMES)}")
    seen = []
    for item in items:
        p = ck.choice(item, "platforms", platform_table.NAMES)
        if p in seen:
            ck.fail(item, f"platform '{p}' is listed twice", "each platform once")
        seen.append(p)
    return tuple(seen)


# glibc's own entry points, which a spec may bind in either mode (a passthrough to glibc) although
# they are reserved names: the glue declares them as glibc defines them
GLIBC_ENTRIES = exports.yieldable_names("interpose")

# (the parameters named `reserved` below are the names the glue defines, not this module)
reserved_problem = reserved.problem


def _not_reserved(ck, node, where, value, reserved=(),
                  expected="the allocator's own function name, not one the glue exports", role="entry",
                  platforms=("linux",)):
    """Refuse a name the glue defines itself (`reserved`), and any name reserved.problem() refuses
    for this role: the implementation's, the glue's prefix, keywords, the system headers' names."""
    if value in reserved:
        ck.fail(node, f"'{where}' is '{value}', a name the generated glue defines itself", expected)
    why = reserved_problem(value, role, platforms)
    if why:
        ck.fail(node, f"'{where}' is '{value}', {why[0]}", why[1])


# The glue's function that loads spec.library and finds the entries' functions in it (entry.init's place).
LIBRARY_RESOLVER = "alloc8_library_resolve"
# library: a file name or path of the shared library, pasted into a C string: only these characters
LIBRARY_RE = re.compile(r"^/?[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+)*$")
# The entries a drop-in library's functions may bind: not init (the glue's own init loads the
# library), nor the fork handlers (such a library registers its own), nor hooks (below).
LIBRARY_REFUSED = {"init": "the glue's own init loads the library and finds its functions; a drop-in library "
                           "initialises itself",
                   "lock": "a drop-in library registers its own fork handlers (pthread_atfork)",
                   "unlock": "a drop-in library registers its own fork handlers (pthread_atfork)",
                   "fork_child": "a drop-in library registers its own fork handlers (pthread_atfork)",
                   "register_error": "the glue calls it when it is loaded, before the library is searched"}


def _library(ck, top, platforms):
    """spec: library: the shared library whose own functions the entries name (docs/spec.md)."""
    node = top["library"]
    value = ck.string(node, "library", "the library's file name, such as libjemalloc.so.2 (or its path)")
    if not LIBRARY_RE.match(value) or ".so" not in value or len(value) > 255 or "/../" in f"/{value}/":
        ck.fail(node, f"'library' is {shorten(value)!r}, which is not a shared library's file name",
                "a file name such as libjemalloc.so.2, or an absolute path: letters, digits, '_', '.', '+', "
                "'-' and '/', with '.so' in it")
    others = [p for p in platforms if p != "linux"]
    if others:
        ck.fail(node, f"'library' finds the allocator's library with glibc's dl_iterate_phdr and dlopen and reads its "
                      f"symbol table as loaded, but the spec lists '{others[0]}'", "'platforms: [linux]'")
    for key, why in (("threads", "the hooks would be the library's functions, which is not supported yet"),
                     ("heap", "a heap calls the entries from a library of its own, which cannot reach the "
                              "glue's table of the library's functions")):
        if key in top:
            ck.fail(top[key], f"'{key}' with 'library': {why}", f"no '{key}' (or no 'library')")
    return value


def _entries(ck, node, reserved, yieldable, platforms, library=None):
    """The entry bindings; a symbol in `yieldable` is an exported name left to the allocator. With
    `library` the symbols are that library's own functions (any C identifier, reserved names too:
    they are looked up with dlsym, never declared)."""
    fields = ck.mapping(node, "entry", tuple(ROLES))
    entries = {}
    for role_name, value in fields.items():
        role = ROLES[role_name]
        where = f"entry.{role_name}"
        from_alignment = 0
        if role_name == "aligned_large" and value.kind != "map":
            ck.fail(value, f"'{where}' has no 'from_alignment'",
                    "a mapping with 'symbol', 'from_alignment' (the alignment from which it serves instead "
                    "of entry.aligned) and optionally 'args'")
        if value.kind == "map":
            form_keys = ENTRY_FORM_KEYS + (("from_alignment",) if role_name == "aligned_large" else ())
            form = ck.mapping(value, where, form_keys)
            sym_node = ck.require(form, value, where, "symbol", "'symbol: <C function name>'")
            symbol = ck.ident(sym_node, f"{where}.symbol")
            order = _order(ck, form["args"], where, role) if "args" in form else tuple(n for _, n in role.params)
            if role_name == "aligned_large":
                from_node = ck.require(form, value, where, "from_alignment",
                                       "'from_alignment: N', the alignment from which it serves instead of "
                                       "entry.aligned (a power of two)")
                from_alignment = ck.integer(from_node, f"{where}.from_alignment", *LARGE_ALIGNMENT_RANGE,
                                            power_of_two=True)
        else:
            sym_node = value
            symbol = ck.ident(value, where, "a C function name, or a mapping with 'symbol' and 'args'")
            order = tuple(n for _, n in role.params)
        if library and role_name in LIBRARY_REFUSED:
            ck.fail(sym_node, f"'{where}' with 'library': {LIBRARY_REFUSED[role_name]}",
                    f"no '{where}' (or no 'library')")
        # glibc's own functions are names the headers declare, on purpose; a library's are found with
        # dlsym, never declared
        if not library and symbol not in GLIBC_ENTRIES:
            _not_reserved(ck, sym_node, where, symbol, reserved,
                          "the allocator's own function name" + (
                              " (of the names the glue exports, only glibc's __libc_* functions and "
                              "malloc_usable_size can be entries)" if yieldable else ", not one the glue exports"),
                          platforms=platforms)
        entries[role_name] = Entry(role, symbol, order, sym_node.line, library=bool(library),
                                   from_alignment=from_alignment)
    missing = [r for r in ROLES.values() if r.required and r.name not in entries]
    if missing:
        ck.fail(node, f"'entry' does not bind {', '.join(r.name for r in missing)}",
                "bindings for malloc, free, usable_size and aligned (the required entry points)")
    _one_signature_per_symbol(ck, entries)
    # fork safety: the handlers take the locks with lock and release them with unlock (fork_child)
    for role, needs in (("lock", "unlock"), ("unlock", "lock"), ("fork_child", "lock")):
        if role in entries and needs not in entries:
            ck.fail(entries[role].line, f"'entry.{role}' is bound but 'entry.{needs}' is not",
                    "both 'lock' and 'unlock' (the fork handlers take the allocator's locks and release "
                    "them; 'fork_child' optionally reinitialises them in the child), or none of the three")
    return entries


def _constant(ck, item, where):
    """An integer constant among the args: a plain integer (an int), or {type: integer}."""
    if item.kind == "map":
        fields = ck.mapping(item, f"{where}.args", tuple(CONSTANT_TYPES))
        if len(fields) != 1:
            ck.fail(item, f"a constant in '{where}.args' has {len(fields)} types",
                    "one type and its value, such as {size_t: 0}")
        kind, value = next(iter(fields.items()))
    else:
        kind, value = "int", item
    _, lo, hi, _ = CONSTANT_TYPES[kind]
    if value.kind != "scalar" or isinstance(value.value, bool) or not isinstance(value.value, int):
        ck.fail(value, f"a {kind} constant in '{where}.args' is a {kind_name(value)}",
                f"an integer from {lo} to {hi}")
    if not lo <= value.value <= hi:
        article = "an" if kind == "int" else "a"
        ck.fail(value, f"'{where}.args' has the constant {value.value}, which does not fit in {article} {kind}",
                f"an integer from {lo} to {hi}")
    return Constant(kind, value.value)


def _is_constant(item):
    return item.kind == "map" or (item.kind == "scalar" and isinstance(item.value, int)
                                  and not isinstance(item.value, bool))


def _order(ck, node, where, role):
    """The symbol's arguments: each canonical parameter exactly once (itself, or through a derived
    form such as lg_alignment), plus any integer constants (flags, offsets)."""
    canonical = [n for _, n in role.params]
    derived = [d for d, (_, covers, _) in DERIVED_ARGS.items() if set(covers) <= set(canonical)]
    expected = (f"a list ordering exactly the parameters {', '.join(canonical) or '(none)'}"
                + (f" (or {', '.join(derived)} in their place)" if derived else "")
                + ", plus integer constants such as flags (an int, or {size_t: N} or {unsigned: N})")
    items = ck.sequence(node, f"{where}.args", expected)
    order, covered = [], []
    for item in items:
        if _is_constant(item):
            order.append(_constant(ck, item, where))
            continue
        if not canonical:
            ck.fail(item, f"'{where}' takes no arguments", "no 'args', or only integer constants")
        name = ck.choice(item, f"{where}.args", canonical + derived)
        for param in DERIVED_ARGS[name][1] if name in DERIVED_ARGS else (name,):
            if param in covered:
                ck.fail(item, f"'{where}.args' passes '{param}' twice", expected)
            covered.append(param)
        order.append(name)
    if sorted(covered) != sorted(canonical):
        missing = [n for n in canonical if n not in covered]
        ck.fail(node, f"'{where}.args' does not pass {', '.join(missing)}", expected)
    return tuple(order)


def _one_signature_per_symbol(ck, entries):
    by_symbol = {}
    for e in entries.values():
        other = by_symbol.setdefault(e.symbol, e)
        if other is not e and other.prototype != e.prototype:
            ck.fail(e.line,
                    f"'{e.symbol}' is bound to both '{other.role.name}' and '{e.role.name}' with different C "
                    f"signatures ({other.declaration('f')} and {e.declaration('f')})",
                    "a distinct function for each of these entry points, or args giving both the same "
                    "parameter types")


def _guarantees(ck, node):
    g = ck.mapping(node, "guarantees", GUARANTEE_KEYS)
    values = {key: ck.boolean(value, f"guarantees.{key}") for key, value in g.items()
              if key not in ("alignment", "sets_errno", "zeroed_from")}
    if "sets_errno" in g:
        values["sets_errno"] = _sets_errno(ck, g["sets_errno"])
    if "alignment" in g:
        values["alignment"] = ck.integer(g["alignment"], "guarantees.alignment", 8, 4096, power_of_two=True)
    if "zeroed_from" in g:
        values["zeroed_from"] = ck.integer(g["zeroed_from"], "guarantees.zeroed_from", 1, 1 << 62)
    return Guarantees(**values)


def _sets_errno(ck, node):
    if node.kind == "scalar" and (isinstance(node.value, bool) or node.value == SETS_ERRNO_EXCEPT_OVERSIZE):
        return node.value
    if node.kind == "seq":  # the entries that set it; the glue sets it after the others
        roles = []
        for item in node.value:
            if item.kind != "scalar" or item.value not in ERRNO_ROLES or item.value in roles:
                what = "named twice" if item.kind == "scalar" and item.value in roles else "not an allocating entry"
                ck.fail(item, f"'guarantees.sets_errno' lists {shorten(str(item.value))!r}, {what}",
                        f"each of {', '.join(ERRNO_ROLES)} at most once")
            roles.append(item.value)
        return tuple(r for r in ERRNO_ROLES if r in roles)
    what = f"a {kind_name(node)}"
    if node.kind == "scalar" and isinstance(node.value, str):
        near = node.value.lower().startswith(SETS_ERRNO_EXCEPT_OVERSIZE[:6])
        what = f"{shorten(node.value)!r}" + (f" (did you mean '{SETS_ERRNO_EXCEPT_OVERSIZE}'?)" if near else "")
    ck.fail(node, f"'guarantees.sets_errno' is {what}",
            f"true, false, {SETS_ERRNO_EXCEPT_OVERSIZE}, or a list of the entries that set it ({', '.join(ERRNO_ROLES)})")


def _threads(ck, node, reserved, entries, platforms):
    t = ck.mapping(node, "threads", THREAD_KEYS)
    syms = {}
    entry_symbols = {e.symbol: name for name, e in entries.items()}
    for key in ("init", "cleanup", "created_flag"):
        if key in t:
            syms[key] = ck.ident(t[key], f"threads.{key}")
            _not_reserved(ck, t[key], f"threads.{key}", syms[key], reserved, role="hook", platforms=platforms)
            if syms[key] in entry_symbols:
                ck.fail(t[key], f"'threads.{key}' is '{syms[key]}', which is also bound to "
                                f"'entry.{entry_symbols[syms[key]]}'",
                        "a separate function (or variable) for each thread hook")
            for other in ("init", "cleanup"):
                if other != key and syms.get(other) == syms[key]:
                    ck.fail(t[key], f"'threads.{key}' and 'threads.{other}' are both '{syms[key]}'",
                            "distinct symbols: init runs when a thread starts, cleanup when it ends")
    if "init" not in syms and "cleanup" not in syms:
        ck.fail(node, "'threads' names neither 'init' nor 'cleanup'",
                "at least one of 'init' and 'cleanup' (the per-thread hook functions)")
    activation = ck.choice(t["activation"], "threads.activation", ACTIVATIONS) if "activation" in t else "runtime"
    enabled = ck.boolean(t["enabled"], "threads.enabled") if "enabled" in t else True
    if "enabled" in t and activation != "build":
        ck.fail(t["enabled"], f"'threads.enabled' is only used with 'activation: build' (not '{activation}')",
                "'activation: build', or no 'enabled'")
    lazy = ck.boolean(t["lazy_init"], "threads.lazy_init") if "lazy_init" in t else True
    if not lazy and "created_flag" in syms:
        ck.fail(t["lazy_init"], "'threads.lazy_init: false' cannot keep 'threads.created_flag': threads that "
                                "glibc starts itself would never set it",
                "no 'created_flag' (the allocator can read glibc's __libc_single_threaded), or no 'lazy_init'")
    if not lazy and "init" in entries:
        ck.fail(t["lazy_init"], "'threads.lazy_init: false' with 'entry.init': a thread started before the "
                                "allocator is ready could never get its init hook",
                "no 'lazy_init' (threads then attach on their first call once the allocator is ready)")
    return Threads(activation=activation, enabled=enabled, lazy_init=lazy, **syms)


def _exhaustion(ck, node):
    if node.kind == "scalar" and node.value is None:  # `on_exhaustion: null` is YAML's null
        return "null"
    return ck.choice(node, "heap.on_exhaustion", EXHAUSTION)


def _heap(ck, node, glue_names, spec_name, entries, threads, platforms):
    h = ck.mapping(node, "heap", HEAP_KEYS)
    name = ck.ident(ck.require(h, node, "heap", "name", "'name: <C identifier>' (the heap's function prefix)"),
                    "heap.name")
    _not_reserved(ck, h["name"], "heap.name", name, glue_names, role="heap", platforms=platforms)
    taken = {e.symbol: f"entry.{role}" for role, e in entries.items()}
    if threads:
        taken.update({getattr(threads, k): f"threads.{k}" for k in ("init", "cleanup", "created_flag")
                      if getattr(threads, k)})
    for function in (f"{name}_{f}" for f in Heap.FUNCTIONS):
        if function in glue_names or function in taken:
            ck.fail(h["name"], f"heap '{name}' would define '{function}', which is already "
                               f"{taken.get(function, 'a name the generated glue defines')}",
                    "a heap name whose functions <name>_allocate, <name>_allocate_norefs, "
                    "<name>_deallocate and <name>_try_allocate(_norefs) are free")
    glue_files = [spec_name] + [f"{spec_name}_{s}" for s in platform_table.GLUE_FILE_SUFFIXES]
    if entries and name.lower() in [f.lower() for f in glue_files]:
        exact = name in glue_files
        ck.fail(h["name"], f"heap name '{name}' would give its files the names of the glue's files"
                           + ("" if exact else " on a file system that ignores case (Windows, macOS)"),
                f"a heap name other than '{spec_name}' and '{spec_name}_<{'|'.join(platform_table.GLUE_FILE_SUFFIXES)}>'"
                + ("" if exact else " in any case"))
    # the heap's file defines static helpers (<name>_fallback, ...) beside the entries it declares
    # (fallback: allocator), and a program links its public functions beside the allocator's
    for pattern in reserved.DERIVED["heap"]:
        derived = pattern.format(name, U=name.upper())
        if derived in taken:
            ck.fail(h["name"], f"heap '{name}' would define '{derived}', which is already {taken[derived]}",
                    "a heap name whose generated names (<name>_allocate, <name>_fallback, ...) are not "
                    "entry or thread-hook symbols")
    fallback = ck.choice(h["fallback"], "heap.fallback", FALLBACKS) if "fallback" in h else "gc"
    if fallback == "system" and "windows" in platforms:
        ck.fail(h["fallback"], "'heap.fallback' is 'system', which needs C11's aligned_alloc, but the spec "
                               "lists windows, whose C runtime has none",
                "'fallback: gc' or 'fallback: allocator' for a spec that lists windows")
    if fallback == "allocator" and not entries:
        ck.fail(h["fallback"], "'heap.fallback' is 'allocator', but the spec has no 'entry' to fall back to",
                "'fallback: gc' or 'fallback: system', or an 'entry:' mapping binding the allocator")
    if fallback == "allocator" and "init" in entries:
        ck.fail(h["fallback"], "'heap.fallback' is 'allocator', which calls the entries directly, but the "
                               "allocator needs 'entry.init' first (only the glue runs it)",
                "an allocator that needs no 'init' for 'fallback: allocator', or 'fallback: system' "
                "(which reaches the allocator through the interposed malloc)")
    return Heap(
        name=name,
        fallback=fallback,
        alignment=ck.integer(h["alignment"], "heap.alignment", 1, 4096, power_of_two=True)
        if "alignment" in h else 16,
        on_exhaustion=_exhaustion(ck, h["on_exhaustion"]) if "on_exhaustion" in h else "abort",
        cxx_header=ck.boolean(h["cxx_header"], "heap.cxx_header") if "cxx_header" in h else False,
    )


def _derived_names_free(ck, node, name, entries, threads):
    """The glue's names derived from the spec's name (<name>_dll_event, ... on Windows) may not be
    an entry's or a hook's symbol."""
    taken = {e.symbol: f"entry.{role}" for role, e in entries.items()}
    if threads:
        taken.update({getattr(threads, k): f"threads.{k}" for k in ("init", "cleanup", "created_flag")
                      if getattr(threads, k)})
    for pattern in reserved.DERIVED["spec"]:
        derived = pattern.format(name, U=name.upper())
        if derived in taken:
            ck.fail(node, f"'name' is '{name}', which makes the glue define '{derived}', the symbol of {taken[derived]}",
                    "a spec name from which no generated name equals an entry or thread-hook symbol")


def _file_names(ck, spec, name_node, heap_node):
    """The files of every platform: none may shadow a system header the generated code includes
    (their directory is on the include path), and no two may differ only in case (Windows' and
    macOS's file systems ignore it)."""
    for platform in spec.platforms:
        seen = {}
        for path, _ in platform_table.outputs(spec, platform):
            file = path.split("/", 1)[1]
            from_heap = spec.heap is not None and file.rsplit(".", 1)[0] == spec.heap.name
            node = heap_node if from_heap and heap_node is not None else name_node
            key = "heap.name" if from_heap else "name"
            stem, _, ext = file.rpartition(".")
            if ext == "h" and stem.lower() in reserved.HEADER_FILES:
                value = spec.heap.name if from_heap else spec.name
                ck.fail(node, f"'{key}' is '{value}', which would generate '{file}' and so hide the system "
                              f"header <{stem.lower()}.h> from the generated code",
                        "a name that is not that of a system header (in any case)")
            other = seen.setdefault(file.lower(), file)
            if other != file:
                ck.fail(node, f"the generated files '{other}' and '{file}' differ only in case (one would "
                              "overwrite the other on Windows and macOS)",
                        "names whose files differ in more than case")
