# SPDX-License-Identifier: MIT
"""The symbols a generated interposer defines, per mode; used by validation and templates."""

# The portable malloc family, exported as-is (interpose) or behind the prefix (prefixed).
MALLOC_API = (
    "malloc", "free", "calloc", "realloc", "memalign", "posix_memalign", "aligned_alloc",
    "valloc", "pvalloc", "malloc_usable_size", "free_sized", "free_aligned_sized",
)

# The names musl lets a program replace (its dynamic list), which the musl glue defines in
# interpose mode (templates/musl/malloc.c.j2; docs/platforms.md, "musl").
MUSL_MALLOC_API = ("malloc", "free", "calloc", "realloc", "aligned_alloc", "posix_memalign", "memalign",
                   "malloc_usable_size")

# glibc extras replaced in interpose mode so that nothing reaches glibc's allocator.
GLIBC_EXTRAS = ("cfree", "mallopt", "mallinfo", "mallinfo2", "malloc_trim", "malloc_stats", "malloc_info")

# glibc's exported __libc_* names, as aliases of our definitions (static links, old callers).
LIBC_ALIASES = (
    ("__libc_malloc", "malloc"), ("__libc_free", "free"), ("__libc_calloc", "calloc"),
    ("__libc_realloc", "realloc"), ("__libc_memalign", "memalign"), ("__libc_valloc", "valloc"),
    ("__libc_pvalloc", "pvalloc"), ("__libc_mallinfo", "mallinfo"), ("__libc_mallopt", "mallopt"),
)
# Their C signatures, for the traps that stop an allocator calling them on itself
# (templates/linux/malloc.c.j2): return type and (type, name) parameters, written out by cdecl.py.
_P, _S = "void *", "size_t"
LIBC_ALIAS_SIGNATURES = {
    "__libc_malloc": (_P, ((_S, "size"),)),
    "__libc_free": ("void", ((_P, "ptr"),)),
    "__libc_calloc": (_P, ((_S, "count"), (_S, "size"))),
    "__libc_realloc": (_P, ((_P, "ptr"), (_S, "size"))),
    "__libc_memalign": (_P, ((_S, "alignment"), (_S, "size"))),
    "__libc_valloc": (_P, ((_S, "size"),)),
    "__libc_pvalloc": (_P, ((_S, "size"),)),
    "__libc_mallinfo": ("struct mallinfo", ()),
    "__libc_mallopt": ("int", (("int", "param"), ("int", "value"))),
}
assert set(LIBC_ALIAS_SIGNATURES) == {a for a, _ in LIBC_ALIASES}
# The malloc family's C signatures, the same way, for the checks on an allocator's own calls to them.
MALLOC_API_SIGNATURES = {
    "malloc": (_P, ((_S, "size"),)),
    "free": ("void", ((_P, "ptr"),)),
    "calloc": (_P, ((_S, "count"), (_S, "size"))),
    "realloc": (_P, ((_P, "ptr"), (_S, "size"))),
    "memalign": (_P, ((_S, "alignment"), (_S, "size"))),
    "posix_memalign": ("int", (("void **", "memptr"), (_S, "alignment"), (_S, "size"))),
    "aligned_alloc": (_P, ((_S, "alignment"), (_S, "size"))),
    "valloc": (_P, ((_S, "size"),)),
    "pvalloc": (_P, ((_S, "size"),)),
    "malloc_usable_size": (_S, ((_P, "ptr"),)),
    "free_sized": ("void", ((_P, "ptr"), (_S, "size"))),
    "free_aligned_sized": ("void", ((_P, "ptr"), (_S, "alignment"), (_S, "size"))),
}
assert set(MALLOC_API_SIGNATURES) == set(MALLOC_API)


# macOS: the functions interposed through dyld's __DATA,__interpose section, each with its
# replacement (templates/macos/interpose.c.j2: alloc8_macos_<replacement>).
MACOS_INTERPOSED = (
    ("malloc", "malloc"), ("calloc", "calloc"), ("realloc", "realloc"), ("free", "free"),
    ("valloc", "valloc"), ("posix_memalign", "posix_memalign"), ("aligned_alloc", "aligned_alloc"),
    ("malloc_size", "malloc_size"), ("malloc_good_size", "malloc_good_size"), ("reallocf", "reallocf"),
    ("vfree", "free"),
)
# macOS names an entry may not take in interpose mode (the replacement would call itself).
MACOS_EXTRAS = ("malloc_size", "malloc_good_size", "reallocf", "vfree")

# Windows: the C runtime allocation functions replaced (imports patched in a DLL, definitions in
# the link-time mode), each with its replacement (templates/windows/replacements.c.j2:
# alloc8_crt_<replacement>). The _base forms are the Universal CRT's names behind the public ones.
WINDOWS_CRT_FUNCTIONS = (
    ("malloc", "malloc"), ("free", "free"), ("calloc", "calloc"), ("realloc", "realloc"),
    ("_msize", "msize"), ("_expand", "expand"), ("_recalloc", "recalloc"),
    ("_aligned_malloc", "aligned_malloc"), ("_aligned_free", "aligned_free"),
    ("_aligned_realloc", "aligned_realloc"), ("_aligned_recalloc", "aligned_recalloc"),
    ("_aligned_msize", "aligned_msize"), ("_aligned_offset_malloc", "aligned_offset_malloc"),
    ("_aligned_offset_realloc", "aligned_offset_realloc"),
    ("_aligned_offset_recalloc", "aligned_offset_recalloc"),
    ("_malloc_base", "malloc"), ("_free_base", "free"), ("_calloc_base", "calloc"),
    ("_realloc_base", "realloc"), ("_msize_base", "msize"), ("_expand_base", "expand"),
    ("_recalloc_base", "recalloc"),
)
# Each replacement's C signature: return type and (type, name) parameters, as the CRT declares it
# (the templates' definitions and function-pointer types are written from it: render.py).
WINDOWS_CRT_SIGNATURES = {
    "malloc": (_P, ((_S, "size"),)),
    "free": ("void", ((_P, "ptr"),)),
    "calloc": (_P, ((_S, "count"), (_S, "size"))),
    "realloc": (_P, ((_P, "ptr"), (_S, "size"))),
    "msize": (_S, ((_P, "ptr"),)),
    "expand": (_P, ((_P, "ptr"), (_S, "size"))),
    "recalloc": (_P, ((_P, "ptr"), (_S, "count"), (_S, "size"))),
    "aligned_malloc": (_P, ((_S, "size"), (_S, "alignment"))),
    "aligned_free": ("void", ((_P, "user"),)),
    "aligned_realloc": (_P, ((_P, "user"), (_S, "size"), (_S, "alignment"))),
    "aligned_recalloc": (_P, ((_P, "user"), (_S, "count"), (_S, "size"), (_S, "alignment"))),
    "aligned_msize": (_S, ((_P, "user"), (_S, "alignment"), (_S, "offset"))),
    "aligned_offset_malloc": (_P, ((_S, "size"), (_S, "alignment"), (_S, "offset"))),
    "aligned_offset_realloc": (_P, ((_P, "user"), (_S, "size"), (_S, "alignment"), (_S, "offset"))),
    "aligned_offset_recalloc": (_P, ((_P, "user"), (_S, "count"), (_S, "size"), (_S, "alignment"),
                                     (_S, "offset"))),
}
assert {r for _, r in WINDOWS_CRT_FUNCTIONS} == set(WINDOWS_CRT_SIGNATURES)
# The C runtime DLLs, and the import names that reach each (the Universal CRT through an API set).
WINDOWS_CRT_DLLS = ("msvcrt.dll", "ucrtbase.dll", "msvcr120.dll", "msvcr110.dll", "msvcr100.dll",
                    "msvcr90.dll", "msvcr80.dll")
WINDOWS_CRT_IMPORTS = tuple((dll, i) for i, dll in enumerate(WINDOWS_CRT_DLLS)) + (
    ("api-ms-win-crt-heap-l1-1-0.dll", WINDOWS_CRT_DLLS.index("ucrtbase.dll")),)


def yieldable_names(mode):
    """Exported names an entry may bind (the glue then leaves the name to the allocator instead of
    defining it): glibc's own entry points, for a passthrough binding to glibc."""
    if mode != "interpose":
        return frozenset()
    return frozenset([a for a, _ in LIBC_ALIASES] + ["malloc_usable_size"])


class CxxOperator:
    """One of the 20 replaceable global operator new/delete functions (Itanium C++ ABI)."""

    def __init__(self, new, array, nothrow=False, sized=False, aligned=False):
        self.new, self.array, self.nothrow, self.sized, self.aligned = new, array, nothrow, sized, aligned

    def mangled(self, size_code):
        """Mangled name with `size_code` standing for size_t ('m' on LP64 Linux)."""
        if self.new:
            name = "_Zn" + ("a" if self.array else "w") + size_code
        else:
            name = "_Zd" + ("a" if self.array else "l") + "Pv" + (size_code if self.sized else "")
        if self.aligned:
            name += "St11align_val_t"
        if self.nothrow:
            name += "RKSt9nothrow_t"
        return name

    @property
    def variant(self):
        """Which operator it is, as words for C names: "new", "delete_array_sized_nothrow", ..."""
        parts = ["new" if self.new else "delete"]
        for flag, word in ((self.array, "array"), (self.sized, "sized"), (self.aligned, "aligned"),
                           (self.nothrow, "nothrow")):
            if flag:
                parts.append(word)
        return "_".join(parts)

    @property
    def cname(self):
        """A readable C name for the definition (the mangled name is given by an asm label)."""
        return "alloc8_cxx_" + self.variant

    @property
    def ret(self):
        """The C return type of the definition."""
        return "void *" if self.new else "void"

    @property
    def params(self):
        """The C parameters of the definition, ((ctype, name), ...): std::size_t is size_t,
        std::align_val_t a size_t and the nothrow_t reference a pointer."""
        params = [("size_t", "size")] if self.new else [("void *", "ptr")]
        if self.sized:
            params.append(("size_t", "size"))
        if self.aligned:
            params.append(("size_t", "alignment"))
        if self.nothrow:
            params.append(("const void *", "nothrow_tag"))
        return tuple(params)

    @property
    def signature(self):
        """The C++ declaration it implements, for comments."""
        op = "operator " + ("new" if self.new else "delete") + ("[]" if self.array else "")
        args = ["std::size_t" if self.new else "void*"]
        if self.sized:
            args.append("std::size_t")
        if self.aligned:
            args.append("std::align_val_t")
        if self.nothrow:
            args.append("const std::nothrow_t&")
        return f"{op}({', '.join(args)})"


CXX_OPERATORS = tuple(
    [CxxOperator(True, arr, nothrow=nt, aligned=al)
     for arr in (False, True) for al in (False, True) for nt in (False, True)]
    + [CxxOperator(False, arr, nothrow=nt, sized=sz, aligned=al)
       for arr in (False, True)
       for (nt, sz, al) in ((False, False, False), (True, False, False), (False, True, False),
                            (False, False, True), (True, False, True), (False, True, True))]
)
assert len(CXX_OPERATORS) == 20


def exported_c_names(mode, prefix):
    """Every C-level name the glue defines for a spec in this mode."""
    if mode == "prefixed":
        return [prefix + n for n in MALLOC_API]
    return list(MALLOC_API) + list(GLIBC_EXTRAS) + [a for a, _ in LIBC_ALIASES]


# Thread creation functions the thread-hook glue wraps (spec: threads), exported unversioned.
THREAD_WRAPPERS = ("pthread_create", "thrd_create")


def deepbind_rebound_names():
    """Linux, interpose mode: every name the glue may define in front of glibc's (the malloc family,
    glibc's extras and aliases, the C++ operators, the thread and fork wrappers, dlopen itself).
    A library loaded with RTLD_DEEPBIND gets its references to them pointed at the interposer's
    definitions (templates/linux/dlopen.c.j2); names a given library does not define are skipped at
    run time. Sorted, for a binary search."""
    names = set(MALLOC_API) | set(GLIBC_EXTRAS) | {a for a, _ in LIBC_ALIASES}
    names.update(op.mangled("m") for op in CXX_OPERATORS)
    names.update(THREAD_WRAPPERS)
    names.update(("__register_atfork", "dlopen"))
    return sorted(names)


def reserved_names(mode, prefix, cxx, threads=False):
    """Names an entry symbol may not take: the glue defines them itself."""
    names = set(exported_c_names(mode, prefix))
    if mode == "interpose":  # the Windows link-time mode defines the C runtime's names
        names.update(n for n, _ in WINDOWS_CRT_FUNCTIONS)
        names.update(MACOS_EXTRAS)
    if threads:
        names.update(THREAD_WRAPPERS)
    if cxx:
        names.update(op.mangled(code) for op in CXX_OPERATORS for code in ("m", "j"))
    return names
