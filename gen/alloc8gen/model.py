# SPDX-License-Identifier: MIT
"""The model of a validated spec: what the templates read.

validate.py builds it from a spec file; everything here is already checked, and the facts the
templates need (which names the glue defines, which it leaves to the allocator) are computed here
rather than in the templates.
"""

import os
from dataclasses import dataclass, field

from . import cdecl, exports
from .errors import printable

# Argument forms beyond the canonical parameters (docs/spec.md, "entry"): name -> (C type, the
# canonical parameters it stands for, C expression).
DERIVED_ARGS = {
    "lg_alignment": ("int", ("alignment",), "(int)__builtin_ctzll(alignment)"),  # jemalloc MALLOCX_ALIGN
    "total": ("size_t", ("count", "size"), "count * size"),  # calloc as one size (overflow checked first)
    "const_ptr": ("const void *", ("ptr",), "ptr"),  # mi_usable_size(const void *), jemalloc's sallocx
}

# Integer constants in an entry's args: spec type -> (C type, smallest, largest, C expression
# format). A plain integer is an int (a flags word); `{size_t: 0}` or `{unsigned: 0}` gives the
# constant the type of the allocator's parameter, so that the glue declares the function as it is
# (mimalloc's size_t offset). The ranges hold on every data model the platforms use.
CONSTANT_TYPES = {
    "int": ("int", -(1 << 31), (1 << 31) - 1, "{}"),
    "unsigned": ("unsigned int", 0, (1 << 32) - 1, "{}u"),
    "size_t": ("size_t", 0, (1 << 32) - 1, "(size_t){}u"),
}


@dataclass(frozen=True)
class Constant:
    """An integer constant among an entry's arguments, with its C type (a CONSTANT_TYPES key)."""
    kind: str
    value: int

    @property
    def ctype(self):
        return CONSTANT_TYPES[self.kind][0]

    @property
    def expr(self):
        return CONSTANT_TYPES[self.kind][3].format(self.value)

# guarantees.sets_errno: entries set ENOMEM on every failure except requests over PTRDIFF_MAX bytes.
SETS_ERRNO_EXCEPT_OVERSIZE = "except_oversize"


@dataclass(frozen=True)
class Entry:
    """A role bound to one of the allocator's symbols."""
    role: object      # roles.Role
    symbol: str
    order: tuple      # the symbol's arguments: canonical names, DERIVED_ARGS names or Constants
    line: int = 0     # the spec line that binds it (for messages)
    library: bool = False  # a function of spec.library, called through the pointer `callee`

    @property
    def callee(self):
        """The C expression the glue calls: the symbol, or (spec.library) the pointer that the glue's
        init sets to the library's own function."""
        return f"alloc8_lib_{self.symbol}" if self.library else self.symbol

    @property
    def params(self):
        """(C type, parameter name) of the allocator's function, in its own order."""
        types = dict((n, t) for t, n in self.role.params)
        out = []
        for i, item in enumerate(self.order):
            if isinstance(item, Constant):
                out.append((item.ctype, f"arg{i}"))
            elif item in DERIVED_ARGS:
                out.append((DERIVED_ARGS[item][0], item))
            else:
                out.append((types[item], item))
        return tuple(out)

    @property
    def prototype(self):
        """The C signature as a comparable tuple (return type, parameter types)."""
        return (self.role.ret, tuple(t for t, _ in self.params))

    @property
    def decl(self):
        """C prototype of the allocator's function (spec.library: the hidden pointer to it)."""
        if self.library:
            return f"extern ALLOC8_HIDDEN {self.declaration(f'(*{self.callee})')}"
        return self.declaration(self.symbol)

    def declaration(self, name):
        return cdecl.declaration(self.role.ret, name, self.params)

    @property
    def call(self):
        """A call of the allocator's function using the canonical parameter names."""
        def expr(item):
            if isinstance(item, Constant):
                return item.expr
            return DERIVED_ARGS[item][2] if item in DERIVED_ARGS else item
        return f"{self.callee}({', '.join(expr(i) for i in self.order)})"


@dataclass(frozen=True)
class Guarantees:
    alignment: int = 16
    sets_errno: object = False  # True, False or "except_oversize"
    free_preserves_errno: bool = False
    free_accepts_null: bool = False
    accepts_zero_size: bool = True
    alignment_by_size: bool = False
    zeroed_from: int = 0  # blocks of at least this many bytes come zero-filled (0: none)

    @property
    def glue_sets_errno(self):
        """Some failure gets errno = ENOMEM from the glue (alloc8_glue_enomem is needed)."""
        return self.sets_errno is not True

    @property
    def checks_null(self):
        """The glue sets errno = ENOMEM when an entry returns NULL."""
        return self.sets_errno is False

    @property
    def refuses_oversize(self):
        """The glue refuses requests over PTRDIFF_MAX bytes itself, before calling an entry."""
        return self.sets_errno == SETS_ERRNO_EXCEPT_OVERSIZE


@dataclass(frozen=True)
class Threads:
    init: str = None
    cleanup: str = None
    created_flag: str = None
    activation: str = "runtime"
    enabled: bool = True
    lazy_init: bool = True  # false: hooks only in threads the wrappers start, no per-call check

    @property
    def weak(self):
        """runtime activation: the hooks are looked up as weak symbols and may be absent."""
        return self.activation == "runtime"

    @property
    def default_on(self):
        """Whether ALLOC8_THREAD_HOOKS defaults to 1 in the generated code."""
        return self.activation == "runtime" or (self.activation == "build" and self.enabled)


@dataclass(frozen=True)
class Heap:
    name: str
    fallback: str = "gc"
    alignment: int = 16
    on_exhaustion: str = "abort"
    cxx_header: bool = False

    # The C functions the heap defines, each <name>_<function>.
    FUNCTIONS = ("allocate", "allocate_norefs", "deallocate", "try_allocate", "try_allocate_norefs")

    @property
    def macro(self):
        """Prefix for the heap's macros (upper case)."""
        return self.name.upper()


@dataclass(frozen=True)
class Spec:
    path: str
    sha256: str
    name: str
    mode: str
    platforms: tuple
    prefix: str
    cxx: bool
    entries: dict = field(hash=False)  # role name -> Entry
    guarantees: Guarantees = Guarantees()
    bootstrap_size: int = 65536
    threads: Threads = None
    heap: Heap = None
    library: str = None  # the shared library whose own functions the entries are (dlopen at the first call)

    @property
    def file_name(self):
        """The spec's file name as written into generated headers and messages (no directories:
        deterministic; characters that are not printable escaped)."""
        return printable(os.path.basename(self.path))

    @property
    def glue(self):
        """Whether the spec describes an allocator to generate glue for (a heap-only spec does not)."""
        return bool(self.entries)

    @property
    def interposes(self):
        """The glue replaces the system's malloc family (mode interpose) rather than exporting it
        behind a prefix."""
        return self.mode == "interpose"

    def has(self, role):
        return role in self.entries

    @property
    def kept(self):
        """Exported names the glue leaves to the allocator: glibc's own entry points (__libc_*,
        malloc_usable_size) that an entry binds, for a passthrough to glibc."""
        if self.library:  # the names are the library's functions, not glibc's
            return frozenset()
        return frozenset(e.symbol for e in self.entries.values()) & exports.yieldable_names(self.mode)

    @property
    def glibc_serves(self):
        """entry.malloc is glibc's own __libc_malloc (a passthrough): glibc's extras (mallopt,
        mallinfo, malloc_trim, ...) describe and tune the allocator actually serving, so the glue
        leaves them to glibc instead of answering them itself."""
        return self.has("malloc") and self.entries["malloc"].symbol == "__libc_malloc" and not self.library

    @property
    def libc_aliases(self):
        """glibc's __libc_* names the glue defines (interpose mode), as (alias, target) pairs: not
        the ones the allocator's entries are (kept), nor glibc's extras where glibc serves."""
        if not self.interposes:
            return []
        extras = ("mallinfo", "mallopt") if self.glibc_serves else ()
        return [(alias, target) for alias, target in exports.LIBC_ALIASES
                if alias not in self.kept and target not in extras]

    @property
    def kept_libc_aliases(self):
        """glibc's __libc_* names that entries bind (the glue leaves them to glibc), sorted."""
        return sorted(alias for alias, _ in exports.LIBC_ALIASES if alias in self.kept)

    @property
    def self_checked(self):
        """The malloc family's names the glue defines (interpose mode) whose calls from the
        allocator's own code are checked at run time for an entry on the stack."""
        if not self.interposes or self.library:  # a library's functions are not in this library's objects
            return []
        return [name for name in exports.MALLOC_API if name not in self.kept]
